"""The dashboard: a Streamlit app over the marts (read-only), one page per question people ask.

Modules: `source` (which file the pages read, and the notice when the warehouse is missing, empty or
locked), `metrics` (the definitions of every figure shown: one place to switch to a semantic layer),
`whatif` (re-runs the project's compiled scoring SQL over edited seeds), `views` (one module per page; not `pages/`, which Streamlit would take for its own page folder),
`app` (the Streamlit entry point) and `command` (`leadscore dashboard`).
"""
