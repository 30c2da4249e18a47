# Run by `scripts/redmine.sh seed` through `bin/rails runner` (production, instance "default").
# Creates what Redmine's REST API cannot, idempotently, and prints a JSON summary on the last
# line: the admin API key and the ids of what it made.
require 'json'

Setting.rest_api_enabled = '1'

def user(login, first, last)
  u = User.find_by_login(login) || User.new
  u.login = login
  u.firstname = first
  u.lastname = last
  u.mail = "#{login}@example.com"
  u.password = u.password_confirmation = 'sla-lens-seed-1' if u.new_record?
  u.status = User::STATUS_ACTIVE
  u.language = 'en'
  u.save!
  u
end

def group(name, users)
  g = Group.find_by_lastname(name) || Group.new(lastname: name)
  g.save!
  users.each { |u| g.users << u unless g.users.include?(u) }
  g
end

staff = user('sam', 'Sam', 'Support')
staff2 = user('ines', 'Ines', 'Infra')
requester = user('mia', 'Mia', 'Marketing')
outsider = user('gus', 'Gus', 'General')
group('IT', [staff, staff2])
group('Marketing', [requester])

# A status the business-hours policy pauses on.
waiting = IssueStatus.find_by_name('Waiting on customer') ||
  IssueStatus.create!(name: 'Waiting on customer', is_closed: false)

# Extra trackers, with the Support tracker's workflow.
support = Tracker.find_by_name('Support')
new_status = IssueStatus.find_by_name('New')
%w[Incident].each do |name|
  next if Tracker.find_by_name(name)
  t = Tracker.create!(name: name, default_status: new_status, core_fields: support.core_fields)
  WorkflowRule.copy(support, nil, t, nil)
end

# Every tracker and working role may move to and from "Waiting on customer".
roles = Role.where(builtin: 0).to_a
Tracker.all.each do |t|
  roles.each do |r|
    IssueStatus.where.not(id: waiting.id).each do |s|
      WorkflowTransition.find_or_create_by!(tracker_id: t.id, role_id: r.id, old_status_id: s.id, new_status_id: waiting.id)
      WorkflowTransition.find_or_create_by!(tracker_id: t.id, role_id: r.id, old_status_id: waiting.id, new_status_id: s.id)
    end
  end
end

# An extra priority named like the policy's critical tier.
IssuePriority.find_by_name('Critical') || IssuePriority.create!(name: 'Critical', active: true)

# The requester's department, as an issue custom field (the default requesterGroup source).
dept = IssueCustomField.find_by_name('Department') || IssueCustomField.create!(
  name: 'Department', field_format: 'list', possible_values: %w[Marketing Sales Finance IT],
  is_for_all: true, is_filter: true, visible: true, trackers: Tracker.all.to_a
)
dept.trackers = Tracker.all.to_a
dept.save!

# Escalation (#14): the IT manager (a Redmine user the level 1 `watch` puts on an issue, who then
# gets Redmine's own watcher mail), the agent account sla-lens acts as (not an admin: its API key
# is what `sla-lens escalate` uses; seed.py makes it a member with the role below), and the mail
# settings under which a note by that agent notifies the issue's watchers. The Marketing
# department head has no account: an e-mail-only contact (tests/fixtures/redmine/escalate-policy.json).
def escalation_setup
  it_manager = user('ingrid', 'Ingrid', 'Vogt')
  it_manager.update!(mail_notification: 'only_my_events')
  agent = user('sla-lens', 'SLA', 'Lens')
  agent.update!(mail_notification: 'none')
  # The least an agent needs: see issues, add (private) notes and read them back, add watchers.
  role = Role.find_by_name('SLA agent') || Role.new(name: 'SLA agent')
  role.permissions = %i[view_issues add_issue_notes set_notes_private view_private_notes
                        add_issue_watchers view_issue_watchers]
  role.issues_visibility = 'all'
  role.save!
  Setting.mail_from = 'redmine@example.test'
  Setting.host_name = '127.0.0.1:3088'
  Setting.protocol = 'http'
  Setting.notified_events = %w[issue_added issue_updated issue_note_added]
  Setting.emails_footer = 'Sent by the sla-lens test Redmine (scripts/redmine/setup.rb).'
  { it_manager: it_manager.id, it_manager_mail: it_manager.mail, agent: agent.id,
    agent_login: agent.login, agent_api_key: agent.api_key, agent_role: role.name }
end
escalation = escalation_setup

admin = User.find_by_login('admin')
puts JSON.generate(
  api_key: admin.api_key,
  redmine: Redmine::VERSION.to_s,
  users: { sam: staff.id, ines: staff2.id, mia: requester.id, gus: outsider.id,
           ingrid: escalation[:it_manager], 'sla-lens': escalation[:agent] },
  escalation: escalation,
  status_waiting: waiting.id,
  department_field: dept.id
)
