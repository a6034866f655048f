"""Entry point (`streamlit run dashboard.py`): the frame every page is shown in.

The pages are declared once, in ui/navigation.PAGES (their scripts are in app_pages/: a folder
named pages/ would make Streamlit run a page without this frame). The frame (page config,
sign-in, data, sidebar, banners, title, filter line, Report control) is ui.screen.open_page's;
then the page the URL names runs, starting from the frame's ui.screen.current_page().
"""

from acpeu_data import i18n
from ui import navigation, sidebar
from ui.screen import open_page

entry, shown = navigation.choose(i18n.translator(sidebar.session_language()))
open_page(entry.title)
shown.run()
