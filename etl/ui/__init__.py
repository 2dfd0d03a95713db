"""Dashboard helpers: translations, number formatting, URL state, charts and shared widgets.

`i18n`, `fmt`, `state` and `ranking` are pure (no Streamlit); `data`, `charts`, `widgets` and `router`
serve the Streamlit pages.
"""
