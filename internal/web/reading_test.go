package web_test

import (
	"context"
	"net/url"
	"testing"

	"quire/internal/archive"
	"quire/internal/web"
)

// A reader's text size, line width and theme reach every page as body
// classes that the stylesheet styles (no inline style: the CSP forbids it).
func TestReadingSettingsApply(t *testing.T) {
	r := newRig(t, web.Options{})
	b := r.browser()
	b.signup("settler")
	path := b.postWork(url.Values{"title": {"Settings"}})
	ctx := context.Background()
	u, _ := r.store.UserByName(ctx, "settler")
	if err := r.store.SetPreferences(ctx, u.ID, archive.Preferences{FontSize: 124, LineWidth: 61, Theme: "dark"}); err != nil {
		t.Fatal(err)
	}
	b.get(path).status_(t, 200).has(t, `<body class="font-120 width-60 theme-dark">`)
	b.get("/static/style.css").has(t, ".font-120 .userstuff", ".width-60 .userstuff", "body.theme-dark")
	// Guests get the defaults.
	r.browser().get(path).status_(t, 200).has(t, "<body>")
}
