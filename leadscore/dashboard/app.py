"""The Streamlit entry point (`leadscore dashboard` runs it): the menu of pages, the source notice."""

from __future__ import annotations

import streamlit as st

from leadscore.dashboard import common
from leadscore.dashboard.views import PAGES


def main() -> None:
    st.set_page_config(page_title="leadscore", page_icon="📈", layout="wide")
    navigation = st.navigation([st.Page(page.render, title=page.TITLE, url_path=page.URL_PATH,
                                        default=page is PAGES[0]) for page in PAGES])
    if common.load_source() is None:
        st.stop()
    navigation.run()


main()
