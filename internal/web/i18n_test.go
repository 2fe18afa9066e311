package web

import (
	"encoding/json"
	"flag"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/i18n"
	"quire/internal/listing"
)

var (
	updateCatalog = flag.Bool("update-catalog", false, "add the keys the templates use, and no English catalog has, to internal/i18n/locales/en.json (or en.AREA.json with -catalog-area)")
	catalogArea   = flag.String("catalog-area", "", "with -update-catalog: write the new keys to en.AREA.json")
)

// keyRe finds the message keys of templates ({{t "…"}}, th, tn) and of
// Go code (.T("…"), .N("…"), a page's Title: "…").
var (
	templateKeyRe = regexp.MustCompile(`\b(?:t|th|tn) ("(?:[^"\\]|\\.)*")`)
	goKeyRe       = regexp.MustCompile(`(?:\.T\(|\.N\(|\btrn?\(r2?, |\bmsg\(|Title: |\bmsg :?= |\btitle = )("(?:[^"\\]|\\.)*")`)
	// In the translated Go files of other packages: a validation or
	// explained error's format (its key is archive.MessageKey of it) and
	// field, a refusal's message, an HTTP error's stock words.
	goFormatRe = regexp.MustCompile(`\b(?:Invalid|Explain)\((?:"[^"]*"|[\w.]+(?: ?\+ ?"\w*")?), ("(?:[^"\\]|\\.)*")`)
	goFieldRe  = regexp.MustCompile(`\bInvalid\(("[a-z_]+")`)
	goStockRe  = regexp.MustCompile(`(?:Message: |\bstock\([^,]+, "[^"]*", |\bhttperr\.New\([^,]+, "[^"]*", |Format = )("(?:[^"\\]|\\.)*")`)
)

// translatedGoFiles are the Go files outside web whose messages the pages
// and the API show translated (README, Languages): every message in them
// must be in the catalogs. Grow the list as files are converted.
var translatedGoFiles = []string{
	"../archive/validate.go", "../archive/user.go", "../archive/moderation.go", "../archive/policy.go",
	"../site/signup.go", "../site/accounts.go", "../site/comments.go", "../site/kudos.go", "../site/policy.go",
	"../httperr/httperr.go",
}

// formFields are the fields whose label a validation error shows, beyond
// those translatedGoFiles name literally.
var formFields = []string{"title", "summary", "notes", "end_notes", "body", "chapters[0].title", "chapters[0].body",
	"chapters[0].summary", "chapters[0].notes", "chapters[0].end_notes", "warnings", "categories", "fandoms",
	"relationships", "characters", "freeforms", "new_account_hours", "new_account_works", "review_first_works"}

// usedKeys is every key the templates and the web package's Go code use.
func usedKeys(t *testing.T) map[string]string {
	keys := map[string]string{}
	add := func(where, lit string) {
		k, err := strconv.Unquote(lit)
		if err != nil || k == "" || k != strings.TrimSpace(k) { // "Edit " + a title: a prefix, not a message
			return
		}
		if _, ok := keys[k]; !ok {
			keys[k] = where
		}
	}
	files, _ := fs.Glob(assets, "templates/*.html")
	for _, f := range files {
		b, _ := assets.ReadFile(f)
		for _, m := range templateKeyRe.FindAllStringSubmatch(string(b), -1) {
			add(f, m[1])
		}
	}
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range gofiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range goKeyRe.FindAllStringSubmatch(string(b), -1) {
			add(f, m[1])
		}
	}
	for _, f := range translatedGoFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goFormatRe.FindAllStringSubmatch(string(b), -1) {
			if k, err := strconv.Unquote(m[1]); err == nil && k != "%s" {
				add(f, strconv.Quote(archive.MessageKey(k)))
			}
		}
		for _, m := range goStockRe.FindAllStringSubmatch(string(b), -1) {
			if k, err := strconv.Unquote(m[1]); err == nil {
				add(f, strconv.Quote(archive.MessageKey(k)))
			}
		}
		for _, m := range goFieldRe.FindAllStringSubmatch(string(b), -1) {
			if k, err := strconv.Unquote(m[1]); err == nil {
				add(f, strconv.Quote(fieldLabel(k)))
			}
		}
	}
	for _, f := range formFields {
		add("form fields", strconv.Quote(fieldLabel(f)))
	}
	for _, code := range []int{400, 401, 403, 404, 409, 413, 422, 429, 500} {
		add("error page titles", strconv.Quote(http.StatusText(code)))
	}
	for _, k := range []string{"{0} {1}", "this account is banned: {0}", "this account is banned", "the user name or password is wrong"} {
		add("messages built in Go", strconv.Quote(k))
	}
	for _, l := range [][]string{archive.Ratings, archive.Warnings, archive.Categories} {
		for _, n := range l {
			add("archive vocabulary", strconv.Quote(n))
		}
	}
	for _, m := range archive.Media {
		add("archive media", strconv.Quote(m))
	}
	for _, s := range listing.Sorts {
		add("listing sorts", strconv.Quote(s))
	}
	for _, r := range archive.ReportReasons {
		add("report reasons", strconv.Quote(archive.ReasonLabel(r)))
	}
	for _, st := range append([]string{"all"}, archive.ReportStates...) {
		add("report states", strconv.Quote(st))
	}
	for _, tt := range archive.TagTypes {
		add("archive tag types", strconv.Quote(tt.Label()))
	}
	return keys
}

// TestCatalogCoversPages fails when a template or page uses a key the
// English catalog lacks (-update-catalog adds them), and when a shipped
// locale lacks a key or a plural form its language needs.
func TestCatalogCoversPages(t *testing.T) {
	used := usedKeys(t)
	dir := filepath.Join("..", "i18n", "locales")
	enFiles, _ := filepath.Glob(filepath.Join(dir, "en*.json"))
	have := map[string]bool{}
	for _, f := range enFiles {
		if i18nLocaleOf(f) != "en" {
			continue
		}
		var m map[string]json.RawMessage
		b, err := os.ReadFile(f)
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k := range m {
			have[k] = true
		}
	}
	var missing []string
	for k := range used {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 && *updateCatalog {
		path := filepath.Join(dir, "en.json")
		if *catalogArea != "" {
			path = filepath.Join(dir, "en."+*catalogArea+".json")
		}
		en := map[string]json.RawMessage{}
		if b, err := os.ReadFile(path); err == nil {
			if err := json.Unmarshal(b, &en); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range missing {
			en[k], _ = json.Marshal(k)
		}
		out, _ := json.MarshalIndent(en, "", "  ")
		out = []byte(strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(out)))
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("added %d keys to %s", len(missing), path)
		missing = nil
	}
	for _, k := range missing {
		t.Errorf("%s uses %q, which no English catalog has (go test ./internal/web -run TestCatalogCoversPages -update-catalog [-catalog-area AREA] adds it)", used[k], k)
	}
	cat, err := i18n.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	src := cat.Lookup(i18n.Source)
	for _, l := range cat.Locales() {
		if l == src {
			continue
		}
		if m := l.Missing(src); len(m) > 0 {
			t.Errorf("locale %s lacks %d of %d messages, first: %q (quire i18n status lists them)", l.Code, len(m), len(src.Keys()), m[:min(5, len(m))])
		}
	}
}

// convertedTemplates are the templates whose every word goes through the
// catalog; grow the list as templates are converted (README, Languages).
var convertedTemplates = []string{
	"layout.html", "_blurb.html", "_pager.html", "_comments.html", "works.html", "work.html", "login.html", "signup.html",
	// readers' pages (catalog area "bm")
	"unsubscribe_digest.html", "bookmarks.html",
	// the reader's and creator's pages (catalog area "reader")
	"account.html", "preferences.html", "profile_form.html", "blocked.html", "mutes.html", "hidden_works.html", "inbox.html",
	"readings.html", "drafts.html", "stats.html", "pseuds.html", "user.html", "unsubscribe.html", "verify_email.html",
	"password_reset.html", "logout.html", "members_only.html", "error.html", "home.html", "media.html", "medium_fandoms.html",
	"people_search.html", "tags_search.html", "tag.html", "series_form.html", "chapter_order.html", "confirm_delete.html",
	"comment_retry.html", "orphan.html", "orphan_done.html", "edit_multiple.html", "creator_invitations.html", "gifts.html",
	"news_index.html", "news_post.html", "report_form.html", "import_form.html", "import_report.html", "bookmark_form.html",
	"related_works.html", "series.html", "saved_searches.html",
	// prompt memes (catalog area "prompts")
	"_prompt.html", "prompts.html", "prompt.html", "prompt_form.html", "prompt_meme_form.html", "claims.html",
	// staff pages
	"admin_invitations.html", "admin_log.html", "admin_reports.html", "admin_review.html", "admin_settings.html",
	"admin_user.html", "admin_users.html", "banner_form.html", "invite_requests.html", "news_form.html", "tag_edit.html",
	"unwrangled.html", "_moderate.html", "user_invitations.html",
}

// untranslatable are words every language writes the same way.
var untranslatable = map[string]bool{"EPUB": true, "HTML": true, "PDF": true, "AZW3 (Kindle)": true, "API": true, "Quire": true, "| Quire": true, "Markdown": true}

var (
	textNodeRe  = regexp.MustCompile(`>([^<>]*)<`)
	staticAttRe = regexp.MustCompile(`\b(?:aria-label|title|placeholder|alt)="([^"{]*[A-Za-z][^"{]*)"`)
	letterRe    = regexp.MustCompile(`[A-Za-z]`)
	entityRe    = regexp.MustCompile(`&[a-z]+;`)
)

// TestConvertedTemplatesHaveNoEnglish fails on English text written into
// a converted template outside {{t …}}: a reader of another language
// would see it.
func TestConvertedTemplatesHaveNoEnglish(t *testing.T) {
	for _, name := range convertedTemplates {
		b, err := assets.ReadFile("templates/" + name)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if i := strings.Index(src, "<script"); i >= 0 {
			src = src[:i]
		}
		stripped := stripActions(src)
		for _, m := range textNodeRe.FindAllStringSubmatch(stripped, -1) {
			txt := strings.TrimSpace(entityRe.ReplaceAllString(m[1], ""))
			if letterRe.MatchString(txt) && !untranslatable[txt] {
				t.Errorf("%s: English outside {{t}}: %q", name, txt)
			}
		}
		for _, m := range staticAttRe.FindAllStringSubmatch(stripped, -1) {
			t.Errorf("%s: attribute in English: %q", name, m[1])
		}
	}
}

// stripActions removes every {{…}} action, whose quoted strings may hold
// braces and markup.
func stripActions(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		inQuote := false
		j := 0
		for ; j < len(s); j++ {
			switch {
			case inQuote && s[j] == '\\':
				j++
			case s[j] == '"':
				inQuote = !inQuote
			case !inQuote && strings.HasPrefix(s[j:], "}}"):
				goto end
			}
		}
	end:
		s = s[min(len(s), j+2):]
	}
}

// i18nLocaleOf is the locale of a catalog file name ("en.staff.json" → "en").
func i18nLocaleOf(path string) string {
	code, _, _ := strings.Cut(filepath.Base(path), ".")
	return code
}
