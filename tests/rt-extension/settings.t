#!/usr/bin/perl
# RT::Extension::SLALens->SaveSettings without RT (scripts/rt/page-test.sh runs it; plain `perl`
# with JSON): what the settings page refuses to store, before RT is touched (RT is not loaded
# here, so reaching RT->System would die). Storing and serving the settings is tested on the
# real RT (tests/e2e/rt-page.live.mjs, "the settings page").
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../../www/integrations/rt/RT-Extension-SLALens/lib";
use Test::More;
use RT::Extension::SLALens;

my $X = 'RT::Extension::SLALens';
my @refused = (
    [ { policy => '{"version": 1,' }, qr/^The policy is not JSON: nothing was saved\.$/, 'a policy that is not JSON' ],
    [ { policy => '[1, 2]' }, qr/^The policy is not a JSON object/, 'a policy that is a JSON array' ],
    [ { policy => '"text"' }, qr/^The policy is not/, 'a policy that is a JSON string' ],
    [ { site => '{"tracker": "redmine"}' }, qr/^The site file is for redmine, not rt/, 'a site file for another tracker' ],
    [ { site => '{"rt": {}}' }, qr/^The site file is for no tracker, not rt/, 'a site file without its tracker' ],
    [ { policy => '{}', site => 'nope' }, qr/^The site is not JSON/, 'a valid policy with a broken site file' ],
);
for my $case (@refused) {
    my ($args, $why, $name) = @$case;
    my ($ok, $msg) = eval { $X->SaveSettings(%$args) };
    is($@, '', "$name: refused before RT is reached");
    ok(!$ok, "$name: not saved");
    like($msg // '', $why, "$name: says why");
}
done_testing;
