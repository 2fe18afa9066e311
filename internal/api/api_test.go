package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"quire/internal/api"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store/sqlstore"
)

// env is a real store, index and site behind a real HTTP server, with two
// users (signing up hashes a password, so tests share them).
type env struct {
	t     *testing.T
	site  *site.Site
	store *sqlstore.Store
	srv   *httptest.Server
	alice string // tokens
	bob   string
	mail  *sitetest.Buffer // the mail the job runner sent
}

func newEnv(t *testing.T) *env {
	t.Helper()
	a := sitetest.Open(t, sitetest.Options{BaseURL: "http://example.test"})
	e := &env{t: t, site: a.Site, store: a.Store, mail: a.Mail}
	e.srv = httptest.NewServer(api.New(a.Site, api.Options{}))
	t.Cleanup(e.srv.Close)
	e.alice = e.user("alice")
	e.bob = e.user("bob")
	return e
}

func (e *env) user(name string) string {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.site.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.site.CreateToken(ctx, u, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// response is a decoded reply.
type response struct {
	status int
	header http.Header
	raw    []byte
	obj    map[string]any
}

func (r response) str(key string) string { s, _ := r.obj[key].(string); return s }
func (r response) num(key string) int    { f, _ := r.obj[key].(float64); return int(f) }
func (r response) list(key string) []any { l, _ := r.obj[key].([]any); return l }
func (r response) errCode() string {
	m, _ := r.obj["error"].(map[string]any)
	s, _ := m["code"].(string)
	return s
}
func (r response) errMessage() string {
	m, _ := r.obj["error"].(map[string]any)
	s, _ := m["message"].(string)
	return s
}

// do sends a request: body is a string or []byte sent as is, or anything
// else marshalled to JSON.
func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	return doOn(e.t, e.srv.URL, method, path, token, body)
}

func doOn(t *testing.T, base, method, path, token string, body any) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 {
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
		if err := json.Unmarshal(raw, &r.obj); err != nil {
			t.Fatalf("%s %s: %d %s: not JSON: %v", method, path, res.StatusCode, raw, err)
		}
	}
	if r.status >= 400 && (r.errCode() == "" || r.errMessage() == "") {
		t.Errorf("%s %s: %d without an error code and message: %s", method, path, r.status, raw)
	}
	if r.status >= 500 {
		t.Errorf("%s %s: %d %s", method, path, r.status, raw)
	}
	return r
}

func (e *env) want(r response, status int) response {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// work is a valid work body; tweak it per test.
func work(title string) map[string]any {
	return map[string]any{
		"title":    title,
		"rating":   "General Audiences",
		"warnings": []string{"No Archive Warnings Apply"},
		"fandoms":  []string{"Test Fandom"},
		"chapters": []map[string]any{{"body": "Once upon a time."}},
	}
}

func (e *env) post(token string, body map[string]any) int {
	e.t.Helper()
	r := e.want(e.do("POST", "/api/v1/works", token, body), http.StatusCreated)
	return r.num("id")
}

func (e *env) listIDs(token string, query string) (ids []int, r response) {
	e.t.Helper()
	r = e.want(e.do("GET", "/api/v1/works?"+query, token, nil), http.StatusOK)
	for _, w := range r.list("works") {
		ids = append(ids, int(w.(map[string]any)["id"].(float64)))
	}
	return ids, r
}

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestCreateGetList(t *testing.T) {
	e := newEnv(t)
	w1 := work("Coffee Shop Ficlet")
	w1["rating"] = "Teen And Up Audiences"
	w1["categories"] = []string{"Gen"}
	w1["fandoms"] = []string{"Fandom A"}
	w1["relationships"] = []string{"A/B"}
	w1["freeforms"] = []string{"Fluff", "Alternate Universe"}
	w1["summary"] = "A *short* summary."
	w1["summary_format"] = "markdown"
	w1["posted_at"] = "2020-01-02"
	w1["chapters_expected"] = 3
	w1["chapters"] = []map[string]any{
		{"title": "Beans", "body": "Some *emphasis* here.\n\n> quoted", "format": "markdown"},
		{"title": "Milk", "body": "<p>Safe</p><script>alert(1)</script><p onclick=\"x()\">text</p>"},
	}
	r := e.want(e.do("POST", "/api/v1/works", e.alice, w1), http.StatusCreated)
	id := r.num("id")
	if r.str("posted_at") != "2020-01-02T00:00:00Z" {
		t.Errorf("posted_at %q, want the backdated day", r.str("posted_at"))
	}
	if got := r.obj["creators"]; fmt.Sprint(got) != "[alice]" {
		t.Errorf("creators %v", got)
	}
	if r.num("chapters_expected") != 3 || r.obj["complete"] != false || r.num("chapters_posted") != 2 {
		t.Errorf("chapters_expected %v complete %v posted %v", r.obj["chapters_expected"], r.obj["complete"], r.obj["chapters_posted"])
	}
	if r.str("url") != path("http://example.test/works/%d", id) {
		t.Errorf("url %q", r.str("url"))
	}
	if r.obj["draft"] != false {
		t.Errorf("creator should see draft=false, got %v", r.obj["draft"])
	}
	if !strings.Contains(r.str("summary"), "<em>short</em>") {
		t.Errorf("summary %q: markdown not rendered", r.str("summary"))
	}
	if r.str("language") != "en" || r.str("comment_permissions") != "registered" || r.obj["restricted"] != false {
		t.Errorf("defaults: %s", r.raw)
	}
	for _, key := range []string{"series", "warnings", "categories", "fandoms", "relationships", "characters", "freeforms", "creators"} {
		if _, ok := r.obj[key].([]any); !ok {
			t.Errorf("%s is %v, want an array", key, r.obj[key])
		}
	}
	if r.str("updated_at") == "" || r.num("words") == 0 {
		t.Errorf("updated_at %q words %d", r.str("updated_at"), r.num("words"))
	}

	// A guest sees the work without "draft", with the chapter list.
	g := e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)
	if _, ok := g.obj["draft"]; ok {
		t.Errorf("guest sees draft field")
	}
	chs := g.list("chapters")
	if len(chs) != 2 {
		t.Fatalf("chapters %v", chs)
	}
	c0 := chs[0].(map[string]any)
	if c0["position"].(float64) != 1 || c0["title"] != "Beans" || c0["posted_at"] != "2020-01-02T00:00:00Z" {
		t.Errorf("chapter list entry %v", c0)
	}
	if _, ok := c0["body"]; ok {
		t.Errorf("chapter list has bodies")
	}

	c1 := e.want(e.do("GET", path("/api/v1/works/%d/chapters/1", id), "", nil), http.StatusOK)
	if !strings.Contains(c1.str("body"), "<em>emphasis</em>") || !strings.Contains(c1.str("body"), "<blockquote>") {
		t.Errorf("markdown body %q", c1.str("body"))
	}
	c2 := e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), "", nil), http.StatusOK)
	if b := c2.str("body"); strings.Contains(b, "<script") || strings.Contains(b, "alert") || strings.Contains(b, "onclick") || !strings.Contains(b, "Safe") {
		t.Errorf("sanitized body %q", b)
	}
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/3", id), "", nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/x", id), "", nil), http.StatusNotFound)
	// Two chapter reads by one guest (same address, same day) are one hit;
	// the creator's read is none.
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/1", id), e.alice, nil), http.StatusOK)
	if err := e.site.FlushHits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g := e.do("GET", path("/api/v1/works/%d", id), "", nil); g.num("hits") != 1 {
		t.Errorf("hits %d, want 1", g.num("hits"))
	}

	w2 := work("Battle Story")
	w2["rating"] = "Mature"
	w2["warnings"] = []string{"Graphic Depictions Of Violence", "Major Character Death"}
	w2["fandoms"] = []string{"Fandom B"}
	w2["freeforms"] = []string{"Angst"}
	w2["chapters_expected"] = 1
	id2 := e.post(e.bob, w2)

	ids, lr := e.listIDs("", "")
	if !slices.Contains(ids, id) || !slices.Contains(ids, id2) || lr.num("total") != 2 || lr.num("page") != 1 || lr.num("per_page") != 20 {
		t.Fatalf("listing %v: %s", ids, lr.raw)
	}
	facets := lr.obj["facets"].(map[string]any)
	for _, typ := range []string{"rating", "warning", "category", "fandom", "relationship", "character", "freeform"} {
		if _, ok := facets[typ].([]any); !ok {
			t.Errorf("facet %s missing: %v", typ, facets)
		}
	}
	if !strings.Contains(string(lr.raw), `{"name":"Fandom A","count":1}`) {
		t.Errorf("facets %v", facets)
	}

	for _, tc := range []struct {
		query string
		want  []int
	}{
		{"fandom=Fandom+A", []int{id}},
		{"fandom=fandom+a", []int{id}},
		{"tag=Fluff", []int{id}},
		{"tag=Fluff&tag=Angst", nil},
		{"exclude_tag=Fluff", []int{id2}},
		{"exclude_freeform=Angst", []int{id}},
		{"relationship=A%2FB", []int{id}},
		{"rating=Teen+And+Up+Audiences&rating=Mature", []int{id2, id}},
		{"rating=Mature", []int{id2}},
		{"exclude_rating=Mature", []int{id}},
		{"warning=Graphic+Depictions+Of+Violence&warning=Major+Character+Death", []int{id2}},
		{"warning=No+Archive+Warnings+Apply&warning=Major+Character+Death", nil},
		{"exclude_warning=Major+Character+Death", []int{id}},
		{"category=Gen", []int{id}},
		{"exclude_category=Gen", []int{id2}},
		// In the vocabulary but on no work yet: not an unknown tag.
		{"rating=Explicit", nil},
		{"rating=Explicit&rating=Mature", []int{id2}},
		{"exclude_rating=Explicit", []int{id2, id}},
		{"complete=true", []int{id2}},
		{"complete=false", []int{id}},
		{"words_from=1&words_to=100", []int{id2, id}},
		{"words_from=100", nil},
		{"updated_from=2019-12-01&updated_to=2020-01-02", []int{id}},
		{"language=en", []int{id2, id}},
		{"sort=title", []int{id2, id}},
		{"sort=title&order=desc", []int{id, id2}},
		{"per_page=1&page=2&sort=title", []int{id}},
		{"q=coffee", []int{id}},
		{"q=%22coffee+shop%22", []int{id}},
		{"q=coffee+OR+battle", []int{id2, id}},
		{"q=-coffee", []int{id2}},
		{"q=Ficlet+-coffee", nil},
		{"q=words%3E1000", nil},
		{"q=words%3C1000+sort%3Atitle", []int{id2, id}},
		{"q=bob", []int{id2}},
	} {
		got, _ := e.listIDs("", tc.query)
		if !slices.Equal(got, tc.want) {
			t.Errorf("GET /works?%s = %v, want %v", tc.query, got, tc.want)
		}
	}

	for _, tc := range []struct{ query, field string }{
		{"complete=maybe", "complete"},
		{"words_from=-1", "words_from"},
		{"words_to=many", "words_to"},
		{"updated_from=2020-13-01", "updated_from"},
		{"updated_to=yesterday", "updated_to"},
		{"per_page=101", "per_page"},
		{"per_page=0", "per_page"},
		{"page=0", "page"},
		{"page=99999999999999999999", "page"},
		{"sort=random", "sort"},
		{"order=sideways", "order"},
		{"crossover=sometimes", "crossover"},
		{"q=sort%3Arandom", "q"},
		{"q=words%3Elots", "q"},
	} {
		r := e.want(e.do("GET", "/api/v1/works?"+tc.query, "", nil), http.StatusUnprocessableEntity)
		if !strings.Contains(r.errMessage(), tc.field) {
			t.Errorf("%s: message %q doesn't name %s", tc.query, r.errMessage(), tc.field)
		}
	}
	r = e.want(e.do("GET", "/api/v1/works?tag=No+Such+Tag", "", nil), http.StatusUnprocessableEntity)
	if r.errCode() != "unknown_tag" || !strings.Contains(r.errMessage(), "No Such Tag") {
		t.Errorf("unknown tag: %s", r.raw)
	}
	r = e.want(e.do("GET", "/api/v1/works?rating=Bogus", "", nil), http.StatusUnprocessableEntity)
	if r.errCode() != "unknown_tag" || !strings.Contains(r.errMessage(), "Bogus") {
		t.Errorf("unknown rating filter: %s", r.raw)
	}
	e.want(e.do("GET", "/api/v1/works?tag=%FF%FE", "", nil), http.StatusUnprocessableEntity)
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	tags := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, path("Tag %d", i))
		}
		return out
	}
	with := func(key string, v any) map[string]any {
		w := work("Title")
		w[key] = v
		return w
	}
	chapterBody := func(n int) map[string]any {
		// "abcd " is five characters; the rest pads to exactly n.
		body := strings.Repeat("abcd ", n/5) + strings.Repeat("x", n%5)
		return with("chapters", []map[string]any{{"body": body}})
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"truncated JSON", `{"title": "x"`, 400, "malformed"},
		{"not JSON", `title=x`, 400, "malformed"},
		{"trailing garbage", `{"title": "x"} {}`, 400, "malformed"},
		{"an array", `[]`, 400, "malformed"},
		{"null", `null`, 400, "malformed"},
		{"empty body", ``, 400, "malformed"},
		{"title a number", with("title", 5), 400, "malformed"},
		{"fandoms a string", with("fandoms", "Test Fandom"), 400, "malformed"},
		{"restricted a string", with("restricted", "yes"), 400, "malformed"},
		{"chapters_expected a fraction", with("chapters_expected", 1.5), 400, "malformed"},
		{"chapters_expected huge", `{"chapters_expected": 1e40}`, 400, "malformed"},
		{"invalid UTF-8", []byte("{\"title\": \"bad \xff\xfe\"}"), 400, "malformed"},
		{"missing fandom", with("fandoms", []string{}), 422, "invalid"},
		{"blank title", with("title", "  "), 422, "invalid"},
		{"long title", with("title", strings.Repeat("t", 256)), 422, "invalid"},
		{"unknown rating", with("rating", "Spicy"), 422, "invalid"},
		{"no warning", with("warnings", nil), 422, "invalid"},
		{"unknown warning", with("warnings", []string{"Spiders"}), 422, "invalid"},
		{"unknown category", with("categories", []string{"X/Y"}), 422, "invalid"},
		{"forbidden tag character", with("freeforms", []string{"a*b"}), 422, "invalid"},
		{"full-width comma", with("characters", []string{"a，b"}), 422, "invalid"},
		{"tag too long", with("freeforms", []string{strings.Repeat("t", 101)}), 422, "invalid"},
		{"76 free tags", with("freeforms", tags(75)), 422, "invalid"},
		{"bad language", with("language", "not a language"), 422, "invalid"},
		{"bad comment permission", with("comment_permissions", "friends"), 422, "invalid"},
		{"future posted_at", with("posted_at", time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339)), 422, "invalid"},
		{"bad posted_at", with("posted_at", "last week"), 422, "invalid"},
		{"no chapters", with("chapters", []any{}), 422, "invalid"},
		{"only draft chapters", with("chapters", []map[string]any{{"body": "x", "draft": true}}), 422, "invalid"},
		{"blank chapter body", with("chapters", []map[string]any{{"body": " "}}), 422, "invalid"},
		{"script-only chapter body", with("chapters", []map[string]any{{"body": "<script>alert(1)</script>"}}), 422, "invalid"},
		{"bad chapter format", with("chapters", []map[string]any{{"body": "x", "format": "rtf"}}), 422, "invalid"},
		{"negative chapters_expected", with("chapters_expected", -1), 422, "invalid"},
		{"chapter of 510,001 characters", chapterBody(510_001), 422, "invalid"},
		{"chapter of 510,000 characters", chapterBody(510_000), 201, ""},
		{"75 free tags", with("freeforms", tags(74)), 201, ""},
		{"NUL bytes", with("title", "nul\u0000title"), 201, ""},
		{"malformed HTML", with("chapters", []map[string]any{{"body": "<p><b>unclosed <i>tags</p></div></blockquote>"}}), 201, ""},
		{"unknown fields ignored", with("favourite_colour", "blue"), 201, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := doOn(t, e.srv.URL, "POST", "/api/v1/works", e.alice, tc.body)
			if r.status != tc.status || tc.code != "" && r.errCode() != tc.code {
				t.Errorf("status %d code %q, want %d %q: %.300s", r.status, r.errCode(), tc.status, tc.code, r.raw)
			}
		})
	}

	t.Run("body over the cap", func(t *testing.T) {
		big := `{"title": "` + strings.Repeat("a", api.DefaultMaxBody) + `"}`
		r := e.do("POST", "/api/v1/works", e.alice, big)
		if r.status != http.StatusRequestEntityTooLarge || r.errCode() != "too_large" {
			t.Errorf("status %d code %q", r.status, r.errCode())
		}
	})
	t.Run("NUL bytes removed", func(t *testing.T) {
		id := e.post(e.alice, with("title", "nul\u0000title"))
		r := e.do("GET", path("/api/v1/works/%d", id), "", nil)
		if r.str("title") != "nultitle" {
			t.Errorf("title %q", r.str("title"))
		}
	})
}

func TestAuthAndVisibility(t *testing.T) {
	e := newEnv(t)
	public := e.post(e.alice, work("Public Work"))
	d := work("Secret Draft")
	d["draft"] = true
	d["fandoms"] = []string{"Draft Fandom"}
	draft := e.post(e.alice, d)
	rw := work("Members Only")
	rw["restricted"] = true
	rw["fandoms"] = []string{"Restricted Fandom"}
	restricted := e.post(e.alice, rw)

	// Tokens.
	e.want(e.do("POST", "/api/v1/works", "", work("x")), http.StatusUnauthorized)
	e.want(e.do("DELETE", path("/api/v1/works/%d", public), "", nil), http.StatusUnauthorized)
	e.want(e.do("PATCH", path("/api/v1/works/%d", public), "", map[string]any{"title": "x"}), http.StatusUnauthorized)
	e.want(e.do("GET", "/api/v1/works", "quire_not-a-token", nil), http.StatusUnauthorized)
	e.want(e.do("GET", path("/api/v1/works/%d", public), "nonsense", nil), http.StatusUnauthorized)
	for _, h := range []string{"Basic YWxpY2U6cGFzcw==", "Bearer", "Bearer a b"} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/works", nil)
		req.Header.Set("Authorization", h)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d", h, res.StatusCode)
		}
	}
	me := e.want(e.do("GET", "/api/v1/me", e.alice, nil), http.StatusOK)
	if me.str("name") != "alice" || me.str("email") != "alice@example.test" || me.list("roles") == nil {
		t.Errorf("me: %s", me.raw)
	}
	e.want(e.do("GET", "/api/v1/me", "", nil), http.StatusUnauthorized)
	e.want(e.do("GET", "/api/v1/me/drafts", "", nil), http.StatusUnauthorized)

	// Someone else's public work: visible, not changeable.
	e.want(e.do("GET", path("/api/v1/works/%d", public), e.bob, nil), http.StatusOK)
	e.want(e.do("PATCH", path("/api/v1/works/%d", public), e.bob, map[string]any{"title": "Mine now"}), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/works/%d", public), e.bob, nil), http.StatusForbidden)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", public), e.bob, map[string]any{"body": "x"}), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/works/%d/chapters/1", public), e.bob, nil), http.StatusForbidden)

	// Someone else's draft: invisible.
	for _, tok := range []string{"", e.bob} {
		e.want(e.do("GET", path("/api/v1/works/%d", draft), tok, nil), http.StatusNotFound)
		e.want(e.do("GET", path("/api/v1/works/%d/chapters/1", draft), tok, nil), http.StatusNotFound)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", draft), e.bob, map[string]any{"title": "x"}), http.StatusNotFound)
	e.want(e.do("DELETE", path("/api/v1/works/%d", draft), e.bob, nil), http.StatusNotFound)
	own := e.want(e.do("GET", path("/api/v1/works/%d", draft), e.alice, nil), http.StatusOK)
	if own.obj["draft"] != true {
		t.Errorf("own draft: draft=%v", own.obj["draft"])
	}
	drafts := e.want(e.do("GET", "/api/v1/me/drafts", e.alice, nil), http.StatusOK)
	if l := drafts.list("works"); len(l) != 1 || int(l[0].(map[string]any)["id"].(float64)) != draft {
		t.Errorf("drafts: %s", drafts.raw)
	}
	if l := e.want(e.do("GET", "/api/v1/me/drafts", e.bob, nil), http.StatusOK).list("works"); len(l) != 0 {
		t.Errorf("bob's drafts: %v", l)
	}
	// A draft is in no listing, for anyone, and its tags don't exist for others.
	for _, tok := range []string{"", e.alice, e.bob} {
		ids, _ := e.listIDs(tok, "")
		if slices.Contains(ids, draft) {
			t.Errorf("draft listed for %q", tok)
		}
	}
	e.want(e.do("GET", "/api/v1/works?fandom=Draft+Fandom", e.bob, nil), http.StatusUnprocessableEntity)

	// Restricted: logged-in readers only, and invisible to guests everywhere.
	e.want(e.do("GET", path("/api/v1/works/%d", restricted), "", nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/1", restricted), "", nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/works/%d", restricted), e.bob, nil), http.StatusOK)
	ids, gl := e.listIDs("", "")
	if !slices.Equal(ids, []int{public}) || gl.num("total") != 1 || strings.Contains(string(gl.raw), "Restricted Fandom") {
		t.Errorf("guest listing %v: %s", ids, gl.raw)
	}
	if !strings.Contains(string(gl.raw), `{"name":"Test Fandom","count":1}`) {
		t.Errorf("guest facet counts the restricted work: %s", gl.raw)
	}
	r := e.want(e.do("GET", "/api/v1/works?fandom=Restricted+Fandom", "", nil), http.StatusUnprocessableEntity)
	if r.errCode() != "unknown_tag" {
		t.Errorf("guest filter on a restricted work's tag: %s", r.raw)
	}
	ids, _ = e.listIDs(e.bob, "fandom=Restricted+Fandom")
	if !slices.Equal(ids, []int{restricted}) {
		t.Errorf("bob's restricted listing %v", ids)
	}

	// Not found, wrong method.
	for _, p := range []string{"/api/v1/works/999999", "/api/v1/works/abc", "/api/v1/works/-1", "/api/v1/works/0", "/api/v1/works/01", "/api/v1/nothing", "/api/v2/works", "/api/", "/api/v1/works/1/chapters/abc"} {
		e.want(e.do("GET", p, "", nil), http.StatusNotFound)
	}
	e.want(e.do("PATCH", "/api/v1/works/999999", e.alice, map[string]any{"title": "x"}), http.StatusNotFound)
	e.want(e.do("DELETE", "/api/v1/works/abc", e.alice, nil), http.StatusNotFound)
	for _, m := range []struct{ method, path string }{
		{"PUT", "/api/v1/works"}, {"DELETE", "/api/v1/works"}, {"POST", path("/api/v1/works/%d", public)},
		{"GET", path("/api/v1/works/%d/chapters", public)}, {"PUT", path("/api/v1/works/%d/chapters/1", public)},
		{"POST", "/api/v1/me"},
	} {
		r := e.want(e.do(m.method, m.path, e.alice, nil), http.StatusMethodNotAllowed)
		if r.header.Get("Allow") == "" || r.errCode() != "method_not_allowed" {
			t.Errorf("%s %s: Allow %q code %q", m.method, m.path, r.header.Get("Allow"), r.errCode())
		}
	}

	// Posting the draft with PATCH {"draft": false} lists it.
	posted := e.want(e.do("PATCH", path("/api/v1/works/%d", draft), e.alice, map[string]any{"draft": false}), http.StatusOK)
	if posted.obj["draft"] != false || posted.str("title") != "Secret Draft" {
		t.Errorf("posted draft: %s", posted.raw)
	}
	if ids, _ := e.listIDs("", ""); !slices.Contains(ids, draft) {
		t.Errorf("posted draft not listed: %v", ids)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", draft), e.alice, map[string]any{"draft": true}), http.StatusUnprocessableEntity)

	// Delete.
	e.want(e.do("DELETE", path("/api/v1/works/%d", public), e.alice, nil), http.StatusNoContent)
	e.want(e.do("GET", path("/api/v1/works/%d", public), e.alice, nil), http.StatusNotFound)
	if ids, _ := e.listIDs("", ""); slices.Contains(ids, public) {
		t.Errorf("deleted work listed")
	}
}

func TestPatchWork(t *testing.T) {
	e := newEnv(t)
	w := work("Original")
	w["summary"] = "**bold** summary"
	w["summary_format"] = "markdown"
	w["freeforms"] = []string{"Fluff"}
	w["posted_at"] = "2021-06-01T10:00:00Z"
	id := e.post(e.alice, w)

	r := e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"title": "Renamed"}), http.StatusOK)
	if r.str("title") != "Renamed" || !strings.Contains(r.str("summary"), "<strong>bold</strong>") ||
		fmt.Sprint(r.obj["freeforms"]) != "[Fluff]" || r.str("posted_at") != "2021-06-01T10:00:00Z" || r.str("rating") != "General Audiences" {
		t.Errorf("partial update changed more than the title: %s", r.raw)
	}
	r = e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"freeforms": []string{"Angst", "Hurt/Comfort"}, "restricted": true, "chapters_expected": 1}), http.StatusOK)
	if fmt.Sprint(r.obj["freeforms"]) != "[Angst Hurt/Comfort]" || r.obj["restricted"] != true || r.obj["complete"] != true || r.num("chapters_expected") != 1 {
		t.Errorf("update: %s", r.raw)
	}
	r = e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"chapters_expected": nil}), http.StatusOK)
	if v, ok := r.obj["chapters_expected"]; !ok || v != nil || r.obj["complete"] != false {
		t.Errorf("chapters_expected null: %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"fandoms": []string{}}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"rating": "Nope"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"posted_at": "2999-01-01"}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, `{"title": 1}`), http.StatusBadRequest)
	e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, `{`), http.StatusBadRequest)
	if g := e.do("GET", path("/api/v1/works/%d", id), e.alice, nil); g.str("title") != "Renamed" {
		t.Errorf("failed updates changed the work: %s", g.raw)
	}
	r = e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"posted_at": "2019-03-04"}), http.StatusOK)
	if r.str("posted_at") != "2019-03-04T00:00:00Z" {
		t.Errorf("backdate by PATCH: %s", r.str("posted_at"))
	}
}

func TestChapters(t *testing.T) {
	e := newEnv(t)
	w := work("Serial")
	w["chapters_expected"] = nil
	w["chapters"] = []map[string]any{{"title": "One", "body": "first"}}
	id := e.post(e.alice, w)
	chapters := func(token string) (titles []string, ids []int64, r response) {
		t.Helper()
		r = e.want(e.do("GET", path("/api/v1/works/%d", id), token, nil), http.StatusOK)
		for i, c := range r.list("chapters") {
			m := c.(map[string]any)
			if int(m["position"].(float64)) != i+1 {
				t.Errorf("chapter %d has position %v", i+1, m["position"])
			}
			titles = append(titles, m["title"].(string))
			ids = append(ids, int64(m["id"].(float64)))
		}
		return titles, ids, r
	}
	if _, _, r := chapters(""); r.obj["chapters_expected"] != nil || r.obj["complete"] != false {
		t.Errorf("unknown expected: %s", r.raw)
	}

	r := e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"title": "Two", "body": "second *part*", "format": "markdown"}), http.StatusCreated)
	if r.num("position") != 2 || !strings.Contains(r.str("body"), "<em>part</em>") || r.obj["draft"] != false {
		t.Errorf("added chapter: %s", r.raw)
	}
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"title": "Zero", "body": "prologue", "position": 1}), http.StatusCreated)
	if titles, _, r := chapters(""); !slices.Equal(titles, []string{"Zero", "One", "Two"}) || r.num("chapters_posted") != 3 {
		t.Errorf("after insert: %v", titles)
	}
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"body": ""}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"body": "x", "position": -2}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, `{"body": 3}`), http.StatusBadRequest)
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), "", map[string]any{"body": "x"}), http.StatusUnauthorized)

	// Partial edit: the title changes, the body stays.
	r = e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"title": "One (revised)"}), http.StatusOK)
	if r.str("title") != "One (revised)" || !strings.Contains(r.str("body"), "first") {
		t.Errorf("edited chapter: %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"body": "   "}), http.StatusUnprocessableEntity)
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/9", id), e.alice, map[string]any{"title": "x"}), http.StatusNotFound)
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.bob, map[string]any{"title": "x"}), http.StatusForbidden)

	// Reorder.
	_, ids, _ := chapters("")
	slices.Reverse(ids)
	e.want(e.do("PUT", path("/api/v1/works/%d/chapters/order", id), e.alice, map[string]any{"chapter_ids": ids}), http.StatusOK)
	if titles, _, _ := chapters(""); !slices.Equal(titles, []string{"Two", "One (revised)", "Zero"}) {
		t.Errorf("after reorder: %v", titles)
	}
	e.want(e.do("PUT", path("/api/v1/works/%d/chapters/order", id), e.alice, map[string]any{"chapter_ids": ids[:2]}), http.StatusUnprocessableEntity)
	e.want(e.do("PUT", path("/api/v1/works/%d/chapters/order", id), e.alice, map[string]any{}), http.StatusUnprocessableEntity)
	e.want(e.do("PUT", path("/api/v1/works/%d/chapters/order", id), e.bob, map[string]any{"chapter_ids": ids}), http.StatusForbidden)

	// A draft chapter: the creator sees it, readers don't.
	e.want(e.do("POST", path("/api/v1/works/%d/chapters", id), e.alice, map[string]any{"title": "WIP", "body": "not yet", "draft": true}), http.StatusCreated)
	if titles, _, r := chapters(""); len(titles) != 3 || r.num("chapters_posted") != 3 {
		t.Errorf("reader sees draft chapter: %v", titles)
	}
	_, _, own := chapters(e.alice)
	last := own.list("chapters")[3].(map[string]any)
	if last["title"] != "WIP" || last["draft"] != true {
		t.Errorf("creator's draft chapter: %v", last)
	}
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/4", id), "", nil), http.StatusNotFound)
	if c := e.want(e.do("GET", path("/api/v1/works/%d/chapters/4", id), e.alice, nil), http.StatusOK); c.obj["draft"] != true {
		t.Errorf("draft chapter for creator: %s", c.raw)
	}
	// Posting it, then completing the work.
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/4", id), e.alice, map[string]any{"draft": false}), http.StatusOK)
	r = e.want(e.do("PATCH", path("/api/v1/works/%d", id), e.alice, map[string]any{"chapters_expected": 4}), http.StatusOK)
	if r.num("chapters_posted") != 4 || r.obj["complete"] != true {
		t.Errorf("complete: %s", r.raw)
	}
	if ids, _ := e.listIDs("", "complete=true"); !slices.Equal(ids, []int{id}) {
		t.Errorf("complete listing %v", ids)
	}

	// Delete renumbers.
	e.want(e.do("DELETE", path("/api/v1/works/%d/chapters/1", id), e.alice, nil), http.StatusNoContent)
	if titles, _, r := chapters(""); !slices.Equal(titles, []string{"One (revised)", "Zero", "WIP"}) || r.obj["complete"] != false {
		t.Errorf("after delete: %v %v", titles, r.obj["complete"])
	}
	e.want(e.do("DELETE", path("/api/v1/works/%d/chapters/3", id), e.alice, nil), http.StatusNoContent)
	e.want(e.do("DELETE", path("/api/v1/works/%d/chapters/2", id), e.alice, nil), http.StatusNoContent)
	// The last posted chapter of a posted work stays.
	e.want(e.do("DELETE", path("/api/v1/works/%d/chapters/1", id), e.alice, nil), http.StatusUnprocessableEntity)
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(api.New(e.site, api.Options{RateLimit: 3}))
	defer srv.Close()
	for i := range 3 {
		if r := doOn(t, srv.URL, "GET", "/api/v1/works", "", nil); r.status != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
	}
	r := doOn(t, srv.URL, "GET", "/api/v1/works", "", nil)
	if r.status != http.StatusTooManyRequests || r.errCode() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("4th request: %d %q Retry-After %q", r.status, r.errCode(), r.header.Get("Retry-After"))
	}
	// A token has its own allowance.
	if r := doOn(t, srv.URL, "GET", "/api/v1/me", e.alice, nil); r.status != http.StatusOK {
		t.Errorf("token request: %d", r.status)
	}

	// Behind a proxy, each client address counts separately.
	ip := "192.0.2.1"
	srv2 := httptest.NewServer(api.New(e.site, api.Options{RateLimit: 1, ClientIP: func(*http.Request) string { return ip }}))
	defer srv2.Close()
	doOn(t, srv2.URL, "GET", "/api/v1/works", "", nil)
	if r := doOn(t, srv2.URL, "GET", "/api/v1/works", "", nil); r.status != http.StatusTooManyRequests {
		t.Errorf("same address: %d", r.status)
	}
	ip = "192.0.2.2"
	if r := doOn(t, srv2.URL, "GET", "/api/v1/works", "", nil); r.status != http.StatusOK {
		t.Errorf("other address: %d", r.status)
	}
}

func TestMaxBodyOption(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(api.New(e.site, api.Options{MaxBody: 100}))
	defer srv.Close()
	r := doOn(t, srv.URL, "POST", "/api/v1/works", e.alice, work(strings.Repeat("t", 200)))
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d", r.status)
	}
	if r := doOn(t, srv.URL, "POST", "/api/v1/works", e.alice, map[string]any{"title": "x"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("small body: %d", r.status)
	}
}
