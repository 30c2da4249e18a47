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

Or, as a SuperUser, on the settings page I<Admin → Tools → sla-lens>
(F</Admin/Tools/SLALens.html>): the policy and the site file are edited there, validated by the
sla-lens engine in the browser (every diagnostic with its path, code and message; saving is
refused while one is an error) and stored as the attribute C<SLALensSettings> of C<$RT::System>.
Once saved, they are what every page gets, in place of the configured files; saving both empty
goes back to the files (or the seed policy).

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

# The settings saved on the settings page: { policy => text, site => text } (either may be
# empty), or undef when none are saved.
sub Settings {
    my ($class) = @_;
    my $attr = RT->System->FirstAttribute('SLALensSettings');
    return undef unless $attr;
    my $content = $attr->Content;
    return ref $content eq 'HASH' ? $content : undef;
}

# Stores the settings page's texts (as typed; the page's engine validated them). Each must be
# empty or a JSON object (a site file for `rt`): anything else is refused with the reason, and
# nothing is stored. Both empty: the saved settings are removed (the files apply again).
# Returns (ok, message).
sub SaveSettings {
    my ($class, %args) = @_;
    my %text;
    for my $k (qw(policy site)) {
        my $t = $args{$k} // '';
        $t =~ s/\A\s+|\s+\z//g;
        if (length $t) {
            my $v = eval { JSON->new->utf8(0)->decode($t) };
            return (0, "The $k is not JSON: nothing was saved.") unless defined $v;
            return (0, "The $k is not a JSON object: nothing was saved.") unless ref $v eq 'HASH';
            return (0, "The site file is for " . ($v->{tracker} // 'no tracker') . ", not rt: nothing was saved.")
                if $k eq 'site' && ($v->{tracker} // '') ne 'rt';
        }
        $text{$k} = $t;
    }
    if (!length $text{policy} && !length $text{site}) {
        my ($ok, $msg) = RT->System->DeleteAttribute('SLALensSettings');
        return (1, 'Saved: no settings here; the configured files (or the seed policy) apply.');
    }
    my ($ok, $msg) = RT->System->SetAttribute(
        Name        => 'SLALensSettings',
        Description => 'sla-lens policy and site file (Admin → Tools → sla-lens)',
        Content     => \%text,
    );
    return $ok ? (1, 'Saved: every page gets these settings now.') : (0, "Not saved: $msg");
}

# The <head> elements: the config (`ConfigJSON`) and the module tag. The settings saved on the
# settings page come first, then the configured files, then the seed policy (no `policy`).
sub HeadHTML {
    my ($class, $user) = @_;
    return '' unless $class->Wanted($user);
    my ($policy, $no_policy, $site, $no_site);
    if (my $saved = $class->Settings) {
        $policy = length($saved->{policy} // '') ? $saved->{policy} : undef;
        $site = $saved->{site};
    } else {
        ($policy, $no_policy) = _read('SLALensPolicyFile');
        ($site, $no_site) = _read('SLALensSiteFile');
    }
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
