"""What every browser journey does the same way: signing a demo user in."""

from playwright.sync_api import Page

from portal.demo import DEMO_PASSWORD


def log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Signs `username` in from a clean slate, as a person at a shared office computer would: the
    last autosaves finished first (their responses carry the previous person's session), cookies
    cleared, the login form filled in Vietnamese, and the page after it reached."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/tai-khoan/login/" not in url)
