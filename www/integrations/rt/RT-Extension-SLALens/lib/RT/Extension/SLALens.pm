use strict;
use warnings;

package RT::Extension::SLALens;

our $VERSION = '0.1.0';

=head1 NAME

RT::Extension::SLALens - sla-lens SLA badges on Request Tracker's ticket and search pages

=head1 DESCRIPTION

Adds the sla-lens drop-in module (an ES module and its WebAssembly engine, served from this
plugin's F<static/>) to the head of every page a signed-in privileged user sees, with the
policy and the site file the administrator configured. The page reads tickets over RT's REST 2
API with the user's own session cookie (same origin): no key is created, read or handed out,
and each user sees badges only for the tickets RT lets them see.

=head1 CONFIGURATION

In F</etc/request-tracker5/RT_SiteConfig.d/60-sla-lens.pm> (then restart RT):

    Plugin('RT::Extension::SLALens');
    Set($SLALensPolicyFile, '/etc/request-tracker5/sla-lens/policy.json');   # default: the seed policy
    Set($SLALensSiteFile,   '/etc/request-tracker5/sla-lens/site.json');     # optional
    Set($SLALensUnprivileged, 0);   # 1: badges in SelfService for requestors too

The files are read when a page is rendered (a change needs no restart). The engine validates
them in the browser; a file with errors gives every ticket a grey "SLA unavailable" badge that
says why, and the page is never broken. A file that cannot be read gives no badges (RT's log and
the browser console say why), never badges under another SLA.

=cut

use JSON ();

# The text of a configured file: (text) or (undef) when unset, (undef, why) when unreadable.
sub _read {
    my ($option) = @_;
    my $path = RT->Config->Get($option);
    return (undef) unless defined $path && length $path;
    open my $fh, '<:encoding(UTF-8)', $path or do {
        my $why = "\$$option $path cannot be read: $!";
        RT->Logger->error("sla-lens: $why");
        return (undef, $why);
    };
    local $/;
    my $text = <$fh>;
    close $fh;
    return ($text);
}

# The policy as badges need it: every escalation contact reduced to its name (a badge names a
# contact, never more). Text that is not a JSON object is passed on as it is: the page reports
# its errors on every badge.
sub BadgePolicy {
    my ($class, $text) = @_;
    return undef unless defined $text && length $text;
    my $policy = eval { JSON->new->utf8(0)->decode($text) };
    return $text unless ref $policy eq 'HASH';
    my $levels = ref $policy->{escalation} eq 'HASH' ? $policy->{escalation}{levels} : undef;
    for my $level (ref $levels eq 'ARRAY' ? @$levels : ()) {
        next unless ref $level eq 'HASH' && ref $level->{contacts} eq 'ARRAY';
        $level->{contacts} = [ map { ref $_ eq 'HASH' ? _name_only($_) : $_ } @{ $level->{contacts} } ];
    }
    return JSON->new->utf8(0)->canonical->encode($policy);
}

sub _name_only {
    my ($contact) = @_;
    return exists $contact->{name} ? { name => $contact->{name} } : {};
}

# Whether the page for this user gets badges.
sub Wanted {
    my ($class, $user) = @_;
    return 0 unless $user && $user->id;
    return 1 if $user->Privileged;
    return RT->Config->Get('SLALensUnprivileged') ? 1 : 0;
}

# The config as JSON text for a <script type="application/json"> element: no `<`, `>` or `&`
# survive (as \u escapes, the same JSON), so no text in it can end the element.
sub ConfigJSON {
    my ($class, $config) = @_;
    my $json = JSON->new->utf8(0)->canonical->encode($config);
    $json =~ s/</\\u003c/g;
    $json =~ s/>/\\u003e/g;
    $json =~ s/&/\\u0026/g;
    return $json;
}

# The <head> elements: the config (`ConfigJSON`) and the module tag.
sub HeadHTML {
    my ($class, $user) = @_;
    return '' unless $class->Wanted($user);
    my ($policy, $no_policy) = _read('SLALensPolicyFile');
    my ($site, $no_site) = _read('SLALensSiteFile');
    my %config = (tracker => 'rt');
    $config{policy} = $class->BadgePolicy($policy) if defined $policy;
    $config{site} = $site if defined $site && length $site;
    # A file that cannot be read: no badges rather than badges under the wrong SLA (the drop-in
    # says why on the console; RT's log has it too).
    $config{error} = $no_policy // $no_site if $no_policy || $no_site;
    my $json = $class->ConfigJSON(\%config);
    my $web = RT->Config->Get('WebPath') // '';
    my $src = "$web/static/sla-lens/$VERSION/sla-lens-dropin.js";
    $src =~ s/([&<>"'])/sprintf('&#%d;', ord $1)/ge;
    return qq{<script type="application/json" id="sla-lens-config">$json</script>\n}
         . qq{<script type="module" src="$src"></script>\n};
}

1;
