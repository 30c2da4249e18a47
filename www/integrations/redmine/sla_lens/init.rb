# frozen_string_literal: true

# sla-lens for Redmine 5.x: SLA badges on every issue list and issue page, computed in the
# browser by the sla-lens Wasm engine from Redmine's REST API, for every signed-in user.
#
# The Ruby side is thin on purpose: it registers the plugin, stores the policy and the site
# mapping as text (Administration → Plugins → sla-lens → Configure; validated in the browser by
# the same engine), hands the page what its badges need as JSON next to one ES module tag, and
# answers the page's requests for its issues under the user's session (SlaLensController). The assets
# (the Wasm engine, the shim, the tracker adapters) are under assets/, which Redmine copies to
# public/plugin_assets/sla_lens/ at boot.

Redmine::Plugin.register :sla_lens do
  name 'sla-lens'
  author 'sla-lens'
  description 'SLA badges (deadlines, risk, breaches, escalation) on issue lists and issue pages, ' \
              'computed in the browser by the sla-lens engine.'
  # The release's version, written into the archive by scripts/build-redmine-plugin.sh from
  # Cargo.toml (a copy straight from the repository has none).
  version_file = File.join(__dir__, 'VERSION')
  version File.file?(version_file) ? File.read(version_file).strip : 'unreleased'
  url 'https://github.com/sla-lens/sla-lens'
  requires_redmine version_or_higher: '5.0.0'
  settings default: { 'policy' => '', 'site' => '' }, partial: 'settings/sla_lens_settings'
end

# Adds the configuration and the drop-in module to the head of every page a signed-in user sees.
# The page gets what its badges need and no more: the policy without its contacts' e-mail
# addresses and handles (a badge names a contact, never more), the site mapping, and where to ask
# for the issues' data (SlaLensController, under the user's session: no API key is read or
# created). Staff group members never reach the page; that controller says, per answer, which of
# the people in those issues are staff.
class SlaLensViewHooks < Redmine::Hook::ViewListener
  ASSETS = 'plugin_assets/sla_lens/javascripts/sla-lens'

  def self.asset(file)
    "#{Redmine::Utils.relative_url_root}/#{ASSETS}/#{file}"
  end

  # The groups a site mapping's `staff.groups` names (by id or name).
  def self.staff_groups(site_text)
    site = JSON.parse(site_text.to_s)
    names = site.is_a?(Hash) && site['staff'].is_a?(Hash) ? Array(site['staff']['groups']) : []
    names.filter_map do |n|
      g = Group.givable.find_by(id: n.to_s) if n.to_s.match?(/\A\d+\z/)
      g || Group.givable.find_by(lastname: n.to_s)
    end
  rescue JSON::ParserError
    []
  end

  # The policy text as badges need it: every escalation contact reduced to its name. A text that
  # is not a JSON object is passed on as it is (the page reports its errors on every badge).
  def self.badge_policy(text)
    return nil if text.blank?

    policy = JSON.parse(text)
    return text unless policy.is_a?(Hash)

    levels = policy.dig('escalation', 'levels')
    Array(levels).each do |level|
      next unless level.is_a?(Hash) && level['contacts'].is_a?(Array)

      level['contacts'] = level['contacts'].map { |c| c.is_a?(Hash) ? c.slice('name') : c }
    end
    JSON.generate(policy)
  rescue JSON::ParserError
    text
  end

  def view_layouts_base_html_head(_context = {})
    return '' unless User.current.logged?

    s = Setting.plugin_sla_lens
    config = {
      tracker: 'redmine',
      policy: self.class.badge_policy(s['policy']),
      site: s['site'].presence,
      endpoint: "#{Redmine::Utils.relative_url_root}/sla_lens/issues"
    }
    # json_escape: no `<`, `>` or `&` survive, so no setting can close the element.
    content_tag(:script, json_escape(config.to_json).html_safe, type: 'application/json', id: 'sla-lens-config') +
      content_tag(:script, '', type: 'module', src: self.class.asset('sla-lens-dropin.js'))
  end
end
