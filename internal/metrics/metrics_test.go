package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	reg := New()
	reg.Gauge("quire_index_works", "Works in the index.", func() float64 { return 42 })
	h := reg.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	}))
	for _, p := range []string{"/works", "/works", "/api/v1/works", "/missing"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	rec := httptest.NewRecorder()
	reg.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := rec.Body.String()
	for _, want := range []string{
		`quire_http_requests_total{kind="page",method="GET",code="200"} 2`,
		`quire_http_requests_total{kind="page",method="GET",code="404"} 1`,
		`quire_http_requests_total{kind="api",method="GET",code="200"} 1`,
		`quire_http_request_duration_seconds_bucket{kind="page",le="+Inf"} 3`,
		`quire_http_request_duration_seconds_count{kind="api"} 1`,
		"# TYPE quire_index_works gauge\nquire_index_works 42\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q:\n%s", want, out)
		}
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
}

func TestLabelledCounters(t *testing.T) {
	reg := New()
	n := 0.0
	reg.Counters("quire_spam_stopped_total", "What each defence stopped.", "defence", func() map[string]float64 {
		n++
		return map[string]float64{"honeypot": n, "held_comment": 0}
	})
	var b strings.Builder
	reg.Write(&b)
	for _, want := range []string{"# TYPE quire_spam_stopped_total counter\n", `quire_spam_stopped_total{defence="held_comment"} 0` + "\n",
		`quire_spam_stopped_total{defence="honeypot"} 1` + "\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("metrics lack %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	reg.Write(&b)
	if !strings.Contains(b.String(), `quire_spam_stopped_total{defence="honeypot"} 2`) {
		t.Errorf("the counter is not read at each scrape:\n%s", b.String())
	}
}
