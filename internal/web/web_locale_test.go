package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quire/internal/i18n"
	"quire/internal/web"
)

// getIn fetches path as a browser whose languages are accept.
func (b *browser) getIn(path, accept string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.r.srv.URL+path, nil)
	req.Header.Set("Accept-Language", accept)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(b.t, resp)
}

func TestLocaleChoiceAndSwitch(t *testing.T) {
	r := newRig(t, web.Options{})
	guest := r.browser()

	// The browser's languages decide first; an unknown one falls back.
	guest.getIn("/works", "de-DE,de;q=0.9,en;q=0.5").status_(t, 200).has(t, `<html lang="de" dir="ltr">`, ">Werke</a>", ">Anmelden</a>")
	guest.getIn("/works", "zh-CN,zh;q=0.9").status_(t, 200).has(t, `<html lang="zh-Hans" dir="ltr">`, ">作品</a>")
	guest.getIn("/works", "ar-EG").status_(t, 200).has(t, `<html lang="ar" dir="rtl">`, ">الأعمال</a>")
	guest.getIn("/works", "tlh, x-klingon;q=0.5, ;;;").status_(t, 200).has(t, `<html lang="en" dir="ltr">`, ">Works</a>")

	// The footer's switch (a plain form) sets a cookie that beats the browser.
	p := guest.post("/locale", url.Values{"locale": {"ja"}, "return_to": {"/works?page=1"}}).status_(t, 200)
	if p.url != "/works" {
		t.Errorf("the switch landed on %s", p.url)
	}
	p.has(t, `<html lang="ja" dir="ltr">`, `<option value="ja" lang="ja" selected>日本語</option>`)
	guest.getIn("/", "de").has(t, `lang="ja"`)
	// An unknown code clears the choice, and nothing breaks.
	guest.post("/locale", url.Values{"locale": {"<script>"}, "return_to": {"https://evil.example/"}}).status_(t, 200).has(t, `lang="en"`)
	guest.getIn("/", "es").has(t, `lang="es"`)

	// A reader's saved preference beats the cookie and the browser.
	reader := r.browser()
	reader.signup("lena")
	reader.post("/account/preferences", url.Values{"locale": {"es"}}).status_(t, 200).has(t, `lang="es"`, ">Obras</a>")
	reader.getIn("/works", "de").has(t, `lang="es"`, ">Cerrar sesión</button>")
	reader.post("/account/preferences", url.Values{"locale": {"not a language!"}}).status_(t, 422)
	// The switch changes the preference of a signed-in reader.
	reader.post("/locale", url.Values{"locale": {"ar"}}).status_(t, 200).has(t, `dir="rtl"`)
	reader.getIn("/account/preferences", "de").has(t, `<option value="ar" lang="ar" selected>العربية</option>`)
}

// Ratings and warnings read in the reader's language; the filter links
// and the stored names stay English.
func TestFixedTagsTranslatedLinksEnglish(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("mira")
	author.postWork(url.Values{"rating": {"Teen And Up Audiences"}, "warning": {"No Archive Warnings Apply"}})
	guest := r.browser()
	guest.getIn("/works", "ja").status_(t, 200).has(t, "13歳以上", `>該当する警告なし</a>`, `/tags/No%20Archive%20Warnings%20Apply/works`,
		`name="rating" value="Teen And Up Audiences"`, `>13歳以上 (1)</label>`)
	guest.getIn("/works?rating=Teen+And+Up+Audiences", "ar").status_(t, 200).has(t, "A Quiet Harbor", "للمراهقين فما فوق")
	guest.getIn("/tags/Teen%20And%20Up%20Audiences/works", "es").status_(t, 200).has(t, "A Quiet Harbor")
}

// Every converted page, in every shipped language: a lang and dir, and
// none of the English words of the layout left.
func TestEveryLocaleRendersTheLayout(t *testing.T) {
	r := newRig(t, web.Options{})
	guest := r.browser()
	cat, err := i18n.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"es", "de", "zh-Hans", "ja", "ar"} {
		for _, path := range []string{"/", "/works", "/login", "/signup", "/works/search"} {
			p := guest.getIn(path, code).status_(t, 200)
			dir := "ltr"
			if code == "ar" {
				dir = "rtl"
			}
			p.has(t, `<html lang="`+code+`" dir="`+dir+`">`)
			nav := p.body[strings.Index(p.body, "<header"):strings.Index(p.body, "</header>")]
			for _, en := range []string{"Works", "Fandoms", "Search", "News", "Log in", "Sign up", "Skip to content"} {
				if cat.Lookup(code).T(en) == en { // the same word in both ("Fandoms" in German)
					continue
				}
				if strings.Contains(nav, ">"+en+"<") || strings.Contains(p.body[:strings.Index(p.body, "<main")], ">"+en+"<") {
					t.Errorf("%s %s: English %q left in the layout", code, path, en)
				}
			}
		}
	}
}

// The staff pages speak the moderator's language: no message of
// en.staff.json is left in English where the language writes it otherwise.
func TestStaffPagesInEveryLocale(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("author")
	work := author.postWork(url.Values{"title": {"Quiet Tide"}})
	boss := r.admin("boss")
	reporter := r.browser()
	reporter.signup("carol")
	reporter.post("/reports", url.Values{"target": {"work:" + strings.TrimPrefix(work, "/works/")}, "reason": {"spam"}, "details": {"Repeated links"}})

	b, err := os.ReadFile(filepath.Join("..", "i18n", "locales", "en.staff.json"))
	if err != nil {
		t.Fatal(err)
	}
	var staff map[string]any
	if err := json.Unmarshal(b, &staff); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/admin/users", "/admin/users/author", "/admin/reports?state=all", "/admin/log", "/admin/review",
		"/admin/settings", "/admin/invitations", "/admin/banner", "/admin_posts/new", "/tags/unwrangled",
		"/users/boss/invitations", work}
	for _, code := range []string{"es", "de", "zh-Hans", "ja", "ar"} {
		l := cat.Lookup(code)
		for _, path := range paths {
			p := boss.getIn(path, code).status_(t, 200)
			p.has(t, `<html lang="`+code+`"`)
			main := p.body[strings.Index(p.body, "<main"):]
			for k, v := range staff {
				if _, plain := v.(string); !plain || strings.Contains(k, "{") || len(k) < 4 || l.T(k) == k {
					continue
				}
				if strings.Contains(main, ">"+k+"<") {
					t.Errorf("%s %s: English %q left on the page", code, path, k)
				}
			}
		}
	}
	// The moderator's own words pass through; the fixed ones are translated.
	boss.getIn("/admin/reports?state=all", "de").has(t, "Repeated links", "Zur gemeldeten Seite", "Mir zuweisen und speichern", "Belästigung")
}

// Messages built in Go read in the reader's language: a validation error
// (field label and message, its numbers written the language's way), a
// flash message, the error page's stock words.
func TestGoMessagesInTheReadersLanguage(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("autorin")
	author.post("/account/preferences", url.Values{"locale": {"de"}}).status_(t, 200).has(t, "Deine Einstellungen wurden gespeichert.")
	form := url.Values{"title": {""}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Text."}, "action": {"post"}}
	author.post("/works", form).status_(t, 422).has(t, "Titel: darf nicht leer sein").lacks(t, "can&#39;t be blank")
	form.Set("title", strings.Repeat("x", 300))
	author.post("/works", form).status_(t, 422).has(t, "Titel: ist 300 Zeichen lang; erlaubt sind 255")
	author.post("/locale", url.Values{"locale": {"ja"}}).status_(t, 200)
	author.post("/works", form).status_(t, 422).has(t, "タイトル：300 文字あります（上限は 255 文字）")
	guest := r.browser()
	guest.getIn("/works/abc", "es").status_(t, 404).has(t, "No encontramos esa página.", "Ir a la portada")
	guest.getIn("/works/abc", "ar").status_(t, 404).has(t, "لم نجد تلك الصفحة.")
	// English is unchanged.
	guest.getIn("/works/abc", "en").status_(t, 404).has(t, "We couldn&#39;t find that page.")
}
