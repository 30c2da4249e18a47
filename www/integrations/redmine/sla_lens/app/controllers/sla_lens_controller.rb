# frozen_string_literal: true

# What the badges of a page need, for the signed-in user, under Redmine's own session. Redmine's
# REST API takes no session, only an API key, and reading the user's key at /my/api_key creates a
# permanent one for every user who merely views a page with badges; this answer needs none.
#
# GET /sla_lens/issues?ids=1,2,3 (at most 100 ids): one JSON array of documents in the shapes
# of Redmine's REST API, which the sla-lens Redmine adapter reads as it reads the API's answers:
#   {"issue_statuses": [...]}                 every status's name (as /issue_statuses.json)
#   {"issue": {..., "journals": [...]}}       each asked issue the user may see, as
#                                             /issues/N.json?include=journals shows it to them
#   {"group": {"id", "name", "users": [...]}} each staff group of the site mapping, with only its
#                                             members among the authors of these issues and of
#                                             their visible journals (what the staff rule needs)
# Issues the user may not see are left out; anonymous visitors get 401.
class SlaLensController < ApplicationController
  MAX_IDS = 100

  def issues
    return head(:unauthorized) unless User.current.logged?

    ids = params[:ids].to_s.split(',').grep(/\A\d{1,12}\z/).first(MAX_IDS).map(&:to_i)
    issues = Issue.visible.where(id: ids)
                  .preload(:project, :tracker, :status, :priority, :author, :assigned_to, :category).to_a
    docs = [{ issue_statuses: IssueStatus.sorted.map { |s| { id: s.id, name: s.name, is_closed: s.is_closed } } }]
    people = []
    issues.each do |issue|
      journals = issue.visible_journals_with_index
      people << issue.author_id
      people.concat(journals.map(&:user_id))
      docs << { issue: issue_doc(issue, journals) }
    end
    SlaLensViewHooks.staff_groups(Setting.plugin_sla_lens['site']).each do |g|
      members = g.users.active.where(id: people.compact.uniq).map { |u| { id: u.id, name: u.name } }
      docs << { group: { id: g.id, name: g.lastname, users: members } }
    end
    response.headers['Cache-Control'] = 'no-store'
    render json: docs
  end

  private

  def ref(record)
    record && { id: record.id, name: record.name }
  end

  def time(value)
    value&.utc&.iso8601
  end

  def issue_doc(issue, journals)
    {
      id: issue.id,
      project: ref(issue.project),
      tracker: ref(issue.tracker),
      status: issue.status && { id: issue.status.id, name: issue.status.name, is_closed: issue.status.is_closed },
      priority: ref(issue.priority),
      author: ref(issue.author),
      assigned_to: ref(issue.assigned_to),
      category: ref(issue.category),
      subject: issue.subject,
      custom_fields: issue.visible_custom_field_values.map { |cv| custom_value(cv) },
      created_on: time(issue.created_on),
      updated_on: time(issue.updated_on),
      closed_on: time(issue.closed_on),
      journals: journals.map do |j|
        {
          id: j.id,
          user: ref(j.user),
          notes: j.notes,
          created_on: time(j.created_on),
          private_notes: j.private_notes,
          details: j.visible_details.map { |d| { property: d.property, name: d.prop_key, old_value: d.old_value, new_value: d.value } }
        }
      end
    }.compact
  end

  def custom_value(value)
    field = value.custom_field
    doc = { id: field.id, name: field.name }
    doc[:multiple] = true if field.multiple?
    doc[:value] = value.value.is_a?(Array) ? value.value.reject(&:blank?) : value.value
    doc
  end
end
