package api_test

import (
	"context"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
)

// adminToken signs up an admin and returns their API token.
func (e *env) adminToken(name string) string {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.site.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse", Admin: true})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.site.CreateToken(ctx, u, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func TestNewsAPIRoleChecks(t *testing.T) {
	e := newEnv(t)
	admin := e.adminToken("boss")
	created := e.want(e.do("POST", "/api/v1/admin/posts", admin, map[string]any{"title": "Kept", "body": "Body"}), 201)
	post := path("/api/v1/admin/posts/%d", created.num("id"))
	for _, rt := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/admin/posts", map[string]any{"title": "Spam", "body": "Spam"}},
		{"PATCH", post, map[string]any{"title": "Spam"}},
		{"DELETE", post, nil},
		{"GET", "/api/v1/admin/banner", nil},
		{"PUT", "/api/v1/admin/banner", map[string]any{"text": "Spam"}},
	} {
		if r := e.do(rt.method, rt.path, "", rt.body); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s without a token: %d %s", rt.method, rt.path, r.status, r.raw)
		}
		if r := e.do(rt.method, rt.path, e.alice, rt.body); r.status != 403 {
			t.Errorf("%s %s as a reader: %d %s", rt.method, rt.path, r.status, r.raw)
		}
		// A malformed body from a non-admin is still a 403: the role is checked first.
		if r := e.do(rt.method, rt.path, e.bob, "{"); r.status != 403 {
			t.Errorf("%s %s as a reader, malformed: %d %s", rt.method, rt.path, r.status, r.raw)
		}
	}
	// Nothing was written.
	p, err := e.site.NewsPost(context.Background(), int64(created.num("id")))
	if err != nil || p.Title != "Kept" {
		t.Fatalf("post after refused writes: %+v %v", p, err)
	}
	if b := e.site.Banner(context.Background()); b.Active() {
		t.Fatalf("banner after refused writes: %+v", b)
	}
	if _, total, _ := e.site.NewsPage(context.Background(), 1); total != 1 {
		t.Fatalf("%d posts after refused writes", total)
	}
}

func TestNewsAPI(t *testing.T) {
	e := newEnv(t)
	admin := e.adminToken("boss")

	// Validation: 422 with the field, nothing written.
	for _, body := range []map[string]any{
		{"title": "", "body": "Body"},
		{"title": "   ", "body": "Body"},
		{"title": "Title", "body": ""},
		{"title": "Title"},
		{"body": "Body"},
		{"title": strings.Repeat("t", archive.MaxNewsTitle+1), "body": "Body"},
		{"title": "Title", "body": strings.Repeat("b", archive.MaxNewsBody+1)},
		{"title": "Title", "body": "Body", "format": "rtf"},
		{"title": "Title", "body": "<script>alert(1)</script>"},
	} {
		if r := e.do("POST", "/api/v1/admin/posts", admin, body); r.status != 422 {
			t.Errorf("%.80v: %d %s", body, r.status, r.raw)
		}
	}
	e.want(e.do("POST", "/api/v1/admin/posts", admin, `{"title": 3}`), 400)
	if _, total, _ := e.site.NewsPage(context.Background(), 1); total != 0 {
		t.Fatalf("%d posts after refused writes", total)
	}

	r := e.want(e.do("POST", "/api/v1/admin/posts", admin, map[string]any{"title": " Big   news ", "body": "We *grew*.<script>x()</script>", "format": "markdown"}), 201)
	if r.str("title") != "Big news" || !strings.Contains(r.str("body"), "<em>grew</em>") || strings.Contains(r.str("body"), "<script") ||
		r.str("body_format") != "markdown" || r.str("author") != "boss" || r.str("created_at") == "" {
		t.Fatalf("created %s", r.raw)
	}
	if loc := r.header.Get("Location"); loc != path("/admin_posts/%d", r.num("id")) {
		t.Errorf("Location %q", loc)
	}
	id := r.num("id")

	// PATCH changes what is sent.
	r = e.want(e.do("PATCH", path("/api/v1/admin/posts/%d", id), admin, map[string]any{"title": "Bigger news"}), 200)
	if r.str("title") != "Bigger news" || !strings.Contains(r.str("body"), "<em>grew</em>") {
		t.Fatalf("patched %s", r.raw)
	}
	e.want(e.do("PATCH", path("/api/v1/admin/posts/%d", id), admin, map[string]any{"body": " "}), 422)
	e.want(e.do("PATCH", "/api/v1/admin/posts/999", admin, map[string]any{"title": "x"}), 404)

	// DELETE.
	e.want(e.do("DELETE", path("/api/v1/admin/posts/%d", id), admin, nil), 204)
	e.want(e.do("DELETE", path("/api/v1/admin/posts/%d", id), admin, nil), 404)
}

func TestBannerAPI(t *testing.T) {
	e := newEnv(t)
	admin := e.adminToken("boss")
	r := e.want(e.do("GET", "/api/v1/admin/banner", admin, nil), 200)
	if r.obj["active"] != false {
		t.Fatalf("banner before any: %s", r.raw)
	}
	r = e.want(e.do("PUT", "/api/v1/admin/banner", admin, map[string]any{"text": "Read the <b>rules</b><script>x()</script>"}), 200)
	if r.obj["active"] != true || r.str("text") != "<p>Read the <b>rules</b></p>" || r.num("version") < 1 {
		t.Fatalf("set: %s", r.raw)
	}
	v1 := r.num("version")
	e.want(e.do("PUT", "/api/v1/admin/banner", admin, map[string]any{}), 422)
	e.want(e.do("PUT", "/api/v1/admin/banner", admin, map[string]any{"text": strings.Repeat("x", archive.MaxBannerLength+1)}), 422)
	e.want(e.do("PUT", "/api/v1/admin/banner", admin, map[string]any{"text": "<script>only()</script>"}), 422)
	if b := e.site.Banner(context.Background()); b.Version != int64(v1) || b.Text.HTML != "<p>Read the <b>rules</b></p>" {
		t.Fatalf("refused writes changed the banner: %+v", b)
	}
	r = e.want(e.do("PUT", "/api/v1/admin/banner", admin, map[string]any{"text": ""}), 200)
	if r.obj["active"] != false || r.num("version") <= v1 {
		t.Fatalf("removed: %s", r.raw)
	}
	r = e.want(e.do("PUT", "/api/v1/admin/banner", admin, map[string]any{"text": "Back **soon**", "format": "markdown"}), 200)
	if !strings.Contains(r.str("text"), "<strong>soon</strong>") || r.num("version") <= v1+1 {
		t.Fatalf("markdown banner: %s", r.raw)
	}
}
