package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
	"quire/internal/web"
)

// rig is a real archive (sitetest: a store on the engine under test, the
// index, the job runner with mail to a log we can read) behind the pages on
// a loopback server.
type rig struct {
	t       *testing.T
	dir     string
	site    *site.Site
	store   *sqlstore.Store
	srv     *httptest.Server
	mailLog *sitetest.Buffer
}

func newRig(t *testing.T, opt web.Options) *rig {
	return openRig(t, testdb.Location(t), opt)
}

func openRig(t *testing.T, dir string, opt web.Options) *rig {
	t.Helper()
	a := sitetest.Open(t, sitetest.Options{Loc: dir})
	h, err := web.New(a.Site, opt)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, dir: dir, site: a.Site, store: a.Store, srv: httptest.NewServer(h), mailLog: a.Mail}
	t.Cleanup(r.srv.Close)
	return r
}

// browser is a client with its own cookies.
type browser struct {
	t   *testing.T
	r   *rig
	c   *http.Client
	jar *cookiejar.Jar
}

func (r *rig) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: r.t, r: r, jar: jar, c: &http.Client{Jar: jar}}
}

type page struct {
	status int
	body   string
	url    string
}

func (b *browser) get(path string) page {
	b.t.Helper()
	resp, err := b.c.Get(b.r.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(b.t, resp)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	resp, err := b.c.PostForm(b.r.srv.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(b.t, resp)
}

func read(t *testing.T, resp *http.Response) page {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(body), url: resp.Request.URL.Path}
}

func (p page) has(t *testing.T, want ...string) page {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Fatalf("page %s (status %d) lacks %q", p.url, p.status, w)
		}
	}
	return p
}

func (p page) lacks(t *testing.T, bad ...string) page {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(p.body, w) {
			t.Fatalf("page %s shows %q, which it must not", p.url, w)
		}
	}
	return p
}

func (p page) status_(t *testing.T, want int) page {
	t.Helper()
	if p.status != want {
		t.Fatalf("%s: status %d, want %d\n%s", p.url, p.status, want, excerpt(p.body))
	}
	return p
}

func excerpt(s string) string {
	if i := strings.Index(s, `role="alert"`); i >= 0 {
		return s[i:min(len(s), i+400)]
	}
	if len(s) > 600 {
		return s[:600]
	}
	return s
}

func (b *browser) signup(name string) {
	b.t.Helper()
	b.post("/signup", url.Values{"name": {name}, "email": {name + "@example.test"}, "password": {"correct horse"}, "password_confirmation": {"correct horse"}}).
		status_(b.t, 200).has(b.t, "Log out", name)
}

var workIDRe = regexp.MustCompile(`/works/(\d+)`)

// postWork posts a work through the form and returns its path.
func (b *browser) postWork(form url.Values) string {
	b.t.Helper()
	base := url.Values{"title": {"A Quiet Harbor"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"The first chapter begins here."}, "action": {"post"}}
	for k, v := range form {
		base[k] = v
	}
	p := b.post("/works", base).status_(b.t, 200)
	if !workIDRe.MatchString(p.url) {
		b.t.Fatalf("posting did not land on the work: %s", p.url)
	}
	return p.url
}
