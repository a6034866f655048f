"""Data (/data): what data is loaded, where it comes from, its problems, and bringing your own.

Each section is drawn by ui/data_page.py (the data) or ui/publishing.py (versions, publishing,
the audit log), in the order of the screen.
"""

from ui import auth, data_page, publishing
from ui.screen import current_page

page = current_page()

if not page.identity.sign_in:
    auth.open_server_warning(page._)
publishing.show_flash()  # the outcome of this session's last publication or rollback

data_page.source_problems(page)  # the configured database or folder, when it was not used
data_page.data_in_use(page)
data_page.record_sources(page)
data_page.illustrative_records(page)
data_page.dataset_warnings(page)

publishing.published_versions(page)  # the history; a data manager's rollback form

data_page.bring_your_own_data(page)  # what to upload, templates, the data contract
data_page.upload(page)
publishing.publish_form(page)  # a data manager's checked upload
data_page.upload_problems(page)  # why the last upload was refused

publishing.audit_log(page)  # a data manager's
