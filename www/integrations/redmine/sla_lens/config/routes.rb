# frozen_string_literal: true

# The badges' data (SlaLensController#issues). No format in the path: Redmine treats a `.json`
# request as an API request and ignores the session for it, and this one is for the session.
get 'sla_lens/issues', to: 'sla_lens#issues', as: 'sla_lens_issues', format: false
