"""Draw the home-screen icons in static/img/ from the same mark as static/img/icon.svg, with Debian's Chromium.

A development tool, not part of the app: run `.venv/bin/python docs/make_icons.py` after changing the mark, and
commit the PNGs. It writes:

- icon-192.png, icon-512.png: the rounded icon, for the manifest ("any");
- icon-maskable-512.png: the mark on a full square, inside the middle 80% that an Android launcher may keep;
- apple-touch-icon.png (180 px): a full square, which iOS rounds itself.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent.parent / "static" / "img"
GREEN = "#1f7a5c"
MARK = (
    '<path d="M14 44l10-14 9 8 17-22" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" '
    'stroke-linejoin="round"/><circle cx="50" cy="16" r="5" fill="#ffd166"/>'
)


def svg(size, *, corner, scale=1.0):
    """The mark on its green square (rounded by `corner`, in 64ths), scaled about the centre."""
    shift = 32 * (1 - scale)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="{size}" height="{size}">'
        f'<rect width="64" height="64" rx="{corner}" fill="{GREEN}"/>'
        f'<g transform="translate({shift} {shift}) scale({scale})">{MARK}</g></svg>'
    )


ICONS = {
    "icon-192.png": svg(192, corner=14),
    "icon-512.png": svg(512, corner=14),
    "icon-maskable-512.png": svg(512, corner=0, scale=0.75),  # the mark's farthest point is 22 of 64 from the centre
    "apple-touch-icon.png": svg(180, corner=0),
}


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, drawing in ICONS.items():
            size = int(drawing.split('width="')[1].split('"')[0])
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(f"<body style='margin:0'>{drawing}</body>")
            page.locator("svg").screenshot(path=IMG / name, omit_background=True)
            page.close()
            print(f"static/img/{name}: {size}x{size}, {(IMG / name).stat().st_size:,} bytes")
        browser.close()


if __name__ == "__main__":
    main()
