#!/usr/bin/perl
# Seed a fresh Request Tracker 5 database (scripts/rt/rt.sh seed runs this as www-data, with the
# server stopped, on the empty database install.sh saved) for sla-lens's RT tests.
#
# Every write happens at a virtual clock: Perl's `time` is overridden before RT is loaded, so RT
# stamps tickets and transactions, and computes its SLA `Due`, at the instants below — all
# before the fixed `now` the tests evaluate at (2026-11-27T12:00:00Z, a Friday).
#
# Output (JSON on stdout): now, the REST tokens of `root` and of the agent `sla` (the account
# `sla-lens escalate` runs as), and each ticket's id by tag.
use strict;
use warnings;
our $CLOCK;
BEGIN {
    $CLOCK = CORE::time();
    *CORE::GLOBAL::time = sub () { $CLOCK };
    # RT::Record stamps `Created` with gmtime() (no argument: the real clock), so these too:
    *CORE::GLOBAL::gmtime = sub (;$) { CORE::gmtime(@_ ? $_[0] : $CLOCK) };
    *CORE::GLOBAL::localtime = sub (;$) { CORE::localtime(@_ ? $_[0] : $CLOCK) };
}
use lib '/usr/share/request-tracker5/lib';
use Time::Local ();
use RT;
RT::LoadConfig();
RT::Init();
use MIME::Entity;

my $NOW = '2026-11-27T12:00:00Z';

sub at {    # 'YYYY-MM-DD HH:MM' UTC -> set the virtual clock
    my ($s) = @_;
    my ($y, $m, $d, $H, $M) = $s =~ /^(\d+)-(\d+)-(\d+) (\d+):(\d+)$/ or die "bad time $s";
    $CLOCK = Time::Local::timegm(0, $M, $H, $d, $m - 1, $y);
}

sub ok { my ($what, @r) = @_; die "$what: $r[1]\n" unless $r[0]; return $r[0] }

at('2025-12-01 08:00');
my $sys = RT->SystemUser;

# --- users and groups ------------------------------------------------------------------------
my %user;
for my $u (
    [ alice => 'Alice Admin',  1 ],    # IT staff (group "IT Staff")
    [ bob   => 'Bob Builder',  1 ],    # IT staff
    [ sla   => 'SLA Lens',     1 ],    # the account `sla-lens escalate` runs as (no admin)
    [ mia   => 'Mia Marketing', 0 ],   # Marketing requester (unprivileged)
    [ max   => 'Max Marketing', 0 ],   # Marketing requester (unprivileged)
    [ gus   => 'Gus General',  0 ],    # outsider
) {
    my ($name, $real, $priv) = @$u;
    my $o = RT::User->new($sys);
    ok("user $name", $o->Create(Name => $name, RealName => $real,
        EmailAddress => "$name\@example.test", Privileged => $priv, Password => "$name-pw-1"));
    $user{$name} = $o;
}
my %group;
for my $g (['IT Staff', qw(alice bob sla)], ['Marketing', qw(mia max)]) {
    my ($name, @members) = @$g;
    my $o = RT::Group->new($sys);
    ok("group $name", $o->CreateUserDefinedGroup(Name => $name));
    ok("member", $o->AddMember($user{$_}->PrincipalId)) for @members;
    $group{$name} = $o;
}
my $staff = $group{'IT Staff'}->PrincipalObj;
ok("right $_", $staff->GrantRight(Right => $_, Object => $RT::System)) for qw(
    SeeQueue ShowTicket ShowTicketComments CreateTicket ReplyToTicket CommentOnTicket OwnTicket
    ModifyTicket SeeGroup ShowOutgoingEmail Watch WatchAsAdminCc);
# The agent changes the owner of tickets others own (an escalation's `assign`): RT asks for
# ReassignTicket beyond ModifyTicket (README "Request Tracker": the agent's rights).
ok("sla ReassignTicket", $user{sla}->PrincipalObj->GrantRight(Right => 'ReassignTicket', Object => $RT::System));
my $everyone = RT::Group->new($sys);
$everyone->LoadSystemInternalGroup('Everyone');
ok("everyone $_", $everyone->PrincipalObj->GrantRight(Right => $_, Object => $RT::System))
    for qw(CreateTicket ReplyToTicket SeeQueue);
my $req = RT::Group->new($sys);
$req->LoadRoleGroup(Object => $RT::System, Name => 'Requestor');
ok("requestor $_", $req->PrincipalObj->GrantRight(Right => $_, Object => $RT::System))
    for qw(ShowTicket);

# --- queues ------------------------------------------------------------------------------------
my %queue;
for my $q (['Marketing IT support', 'normal'], ['General IT', 'normal']) {
    my $o = RT::Queue->new($sys);
    ok("queue $q->[0]", $o->Create(Name => $q->[0], Description => "seeded by sla-lens"));
    ok("sla on", $o->SetSLADisabled(0));
    $o->SetDefaultValue(Name => 'SLA', Value => $q->[1]) if $o->can('SetDefaultValue');
    $queue{$q->[0]} = $o;
}

# --- tickets -----------------------------------------------------------------------------------
my %tickets;
sub as { my ($who) = @_; RT::CurrentUser->new($user{$who}) }
sub ticket {    # (tag, who, when, %args) -> RT::Ticket loaded as $who
    my ($tag, $who, $when, %a) = @_;
    at($when);
    my $t = RT::Ticket->new(as($who));
    my $queue = delete $a{Queue} // 'Marketing IT support';
    my $body = delete $a{Body} // "Please help ($tag).";
    my ($id, undef, $msg) = $t->Create(
        Queue     => $queue,
        Subject   => "$tag " . (delete $a{Subject}),
        Requestor => delete $a{Requestor} // $user{$who}->EmailAddress,
        MIMEObj   => MIME::Entity->build(Data => [$body], Type => 'text/plain', Charset => 'UTF-8'),
        %a,
    );
    die "ticket $tag: $msg\n" unless $id;
    $tickets{$tag} = $id;
    return $id;
}
sub act {       # (id, who, when, method, @args)
    my ($id, $who, $when, $method, @args) = @_;
    at($when);
    my $t = RT::Ticket->new(as($who));
    $t->Load($id) or die "load $id";
    my @r = $t->$method(@args);
    die "ticket $id $method by $who: $r[1]\n" unless $r[0];
}
sub reply   { act($_[0], $_[1], $_[2], Correspond => Content => $_[3] // 'Looking into it.') }
sub comment { act($_[0], $_[1], $_[2], Comment    => Content => $_[3] // 'Internal note.') }
sub status  { act($_[0], $_[1], $_[2], SetStatus  => $_[3]) }

# R01 answered: a staff reply 2 h after creation.
my $t = ticket(R01 => mia => '2026-11-26 09:00', Subject => 'answered');
reply($t, alice => '2026-11-26 11:00');
# R02 unanswered: only the requester has written.
ticket(R02 => max => '2026-11-27 08:00', Subject => 'unanswered');
# R03 stalled: an internal comment (not a reply), then stalled (waiting on the requester).
$t = ticket(R03 => mia => '2026-11-25 10:00', Subject => 'stalled');
comment($t, alice => '2026-11-25 10:30', 'Asked Marketing for the printer model on the phone.');
status($t, alice => '2026-11-25 11:00', 'stalled');
# R04 reopened: replied, resolved, and the requester wrote again (RT reopens it).
$t = ticket(R04 => mia => '2026-11-24 09:00', Subject => 'reopened');
reply($t, bob => '2026-11-24 10:00', 'Fixed: try again.');
status($t, bob => '2026-11-24 11:00', 'resolved');
reply($t, mia => '2026-11-27 09:00', 'Still broken.');
# R05 critical: RT's SLA level `critical`, no reply (breached at 10:00).
ticket(R05 => max => '2026-11-27 06:00', Subject => 'critical', SLA => 'critical');
# R06 out of scope: the General IT queue.
ticket(R06 => gus => '2026-11-27 07:00', Subject => 'out of scope', Queue => 'General IT');
# R07 business hours: 4 business hours from Thu 13:00 use the day up exactly at 17:00.
ticket(R07 => mia => '2026-11-26 13:00', Subject => 'business exact close', SLA => 'business');
# R08 business hours: created outside hours (Wed 20:00): the clock starts Thu 09:00.
$t = ticket(R08 => max => '2026-11-25 20:00', Subject => 'business overnight', SLA => 'business');
reply($t, bob => '2026-11-26 12:30');
# R09 staff-created: alice opens a ticket for mia (RT gives it no Due).
ticket(R09 => alice => '2026-11-27 09:30', Subject => 'staff created', Requestor => 'mia@example.test');
# R10 requester writes again after a staff reply (RT starts a new Due).
$t = ticket(R10 => mia => '2026-11-26 08:00', Subject => 'second question');
reply($t, alice => '2026-11-26 09:00');
reply($t, mia => '2026-11-26 10:00', 'One more thing.');
# R11 resolved: replied then resolved (RT keeps Due after resolve only if it was set).
$t = ticket(R11 => max => '2026-11-26 14:00', Subject => 'resolved unanswered');
status($t, alice => '2026-11-26 15:00', 'resolved');
# R12 priority: RT's numeric priority 100 (High), an owner, and sla-lens's escalation record as
# correspondence (a record, never a reply: DESIGN.md rule 6) and a claim as a comment.
$t = ticket(R12 => mia => '2026-11-27 10:00', Subject => 'high priority', Priority => 100);
act($t, alice => '2026-11-27 10:05', SetOwner => 'alice');
comment($t, sla => '2026-11-27 10:09', "sla-lens:claim ticket=$t cycle=1 level=1 action=note#0 run=r1");
reply($t, sla => '2026-11-27 10:10',
    "SLA escalation, level 1.\nsla-lens:escalated ticket=$t cycle=1 level=1 action=note#0 at=2026-11-27T10:10:00Z");

# Business hours across a weekend and RT's holidays (4 business hours, Mon-Fri 09:00-17:00 UTC):
# R13 Fri 15:00 -> Mon 11:00; R14 Tue 2025-12-23 15:00 -> (24, 25, 26 holidays, weekend) Mon
# 12-29 11:00; R15 Tue 2025-12-30 14:00 -> (31, 01-01 holidays) Fri 2026-01-02 10:00.
ticket(R13 => max => '2026-11-20 15:00', Subject => 'business weekend', SLA => 'business');
ticket(R14 => mia => '2025-12-23 15:00', Subject => 'business christmas', SLA => 'business');
ticket(R15 => max => '2025-12-30 14:00', Subject => 'business new year', SLA => 'business');

# --- a REST token for root ---------------------------------------------------------------------
at('2026-11-27 11:59');
my $root = RT::User->new($sys);
$root->Load('root');
my $tok = RT::AuthToken->new($sys);
my ($tid, $tmsg, $token) = $tok->Create(Owner => $root->id, Description => 'sla-lens tests');
die "token: $tmsg\n" unless $tid;
# The agent's own token (scripts/rt/escalate-test.sh): IT Staff's rights only, no SuperUser.
my $agent_tok = RT::AuthToken->new($sys);
my ($aid, $amsg, $agent_token) = $agent_tok->Create(Owner => $user{sla}->id, Description => 'sla-lens escalate');
die "agent token: $amsg\n" unless $aid;

my %groups = map { ($_ => $group{$_}->id) } keys %group;
print '{"now": "', $NOW, '", "token": "', $token, '", "agent_token": "', $agent_token, '", "users": [',
    join(', ', map { "\"$_\"" } sort keys %user), '], "groups": {',
    join(', ', map { "\"$_\": $groups{$_}" } sort keys %groups), '}, "tickets": {',
    join(', ', map { "\"$_\": $tickets{$_}" } sort keys %tickets), "}}\n";
