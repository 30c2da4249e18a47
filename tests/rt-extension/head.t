#!/usr/bin/perl
# RT::Extension::SLALens without RT (scripts/rt/page-test.sh runs it; plain `perl` with JSON):
# the config JSON cannot end its <script> element, and the policy reaches pages with escalation
# contacts reduced to their names.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/../../www/integrations/rt/RT-Extension-SLALens/lib";
use JSON ();
use Test::More;
use RT::Extension::SLALens;

my $X = 'RT::Extension::SLALens';

my $json = $X->ConfigJSON({ tracker => 'rt', policy => '</script><script>alert(1)</script> & <!-- ü' });
unlike($json, qr/[<>&]/, 'no <, > or & in the config');
is(JSON->new->decode($json)->{policy}, '</script><script>alert(1)</script> & <!-- ü', 'the same JSON');

my $policy = JSON->new->encode({ name => 'p', escalation => { levels => [
    { after => 'PT1H', contacts => [ { name => 'IT manager', email => 'boss@example.test', redmineUserId => 5 }, { email => 'x@example.test' }, 'plain' ] },
    { after => 'PT2H' },
] } });
my $out = JSON->new->decode($X->BadgePolicy($policy));
is_deeply($out->{escalation}{levels}[0]{contacts}, [ { name => 'IT manager' }, {}, 'plain' ], 'contacts: names only');
is_deeply($out->{escalation}{levels}[1], { after => 'PT2H' }, 'a level without contacts is kept');
is($X->BadgePolicy('{not json'), '{not json', 'text that is not JSON is passed on (the page reports it)');
is($X->BadgePolicy('[1]'), '[1]', 'JSON that is not an object is passed on');
is($X->BadgePolicy(''), undef, 'empty: no policy (the seed policy)');
unlike($X->BadgePolicy($policy), qr/boss\@example/, 'no e-mail address reaches the page');
done_testing;
