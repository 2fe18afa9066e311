package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for the site and its job runner.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }
func (e *env) clock(start time.Time) *clock {
	c := &clock{t: start}
	e.site.Now = c.now
	e.site.Jobs.Now = c.now
	return c
}

func (e *env) runJobs() int {
	e.t.Helper()
	n, err := e.site.Jobs.RunDue(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestScheduledChapter(t *testing.T) {
	e := newEnv(t)
	clk := e.clock(time.Now().UTC().Truncate(time.Second))
	id := e.post(e.alice, work("Slow Burn"))
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "work", "target": id}), http.StatusCreated)
	chapters := path("/api/v1/works/%d/chapters", id)

	// Bad schedules: 422 with a message, nothing written.
	for _, bad := range []string{clk.now().Add(-time.Minute).Format(time.RFC3339), clk.now().Add(400 * 24 * time.Hour).Format(time.RFC3339), "next tuesday", "2030-13-45T99:00"} {
		r := e.want(e.do("POST", chapters, e.alice, map[string]any{"body": "Too soon.", "publish_at": bad}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.errMessage(), "publish_at") {
			t.Errorf("%q: %s", bad, r.errMessage())
		}
	}
	if n := len(e.want(e.do("GET", path("/api/v1/works/%d", id), e.alice, nil), http.StatusOK).list("chapters")); n != 1 {
		t.Fatalf("a refused schedule added a chapter: %d chapters", n)
	}

	// The author's time zone: a local time without an offset.
	e.want(e.do("PUT", "/api/v1/me/preferences", e.alice, map[string]any{"time_zone": "America/New_York"}), http.StatusOK)
	e.want(e.do("PUT", "/api/v1/me/preferences", e.alice, map[string]any{"time_zone": "Mars/Olympus"}), http.StatusUnprocessableEntity)
	ny, _ := time.LoadLocation("America/New_York")
	at := clk.now().Add(2 * time.Hour).Truncate(time.Minute)
	local := at.In(ny).Format("2006-01-02T15:04")
	r := e.want(e.do("POST", chapters, e.alice, map[string]any{"title": "Secret", "body": "The hidden zebra speaks.", "publish_at": local}), http.StatusCreated)
	if r.str("publish_at") != at.UTC().Format(time.RFC3339) || r.obj["draft"] != true {
		t.Fatalf("scheduled chapter: publish_at %q draft %v, want %s (stored UTC)", r.str("publish_at"), r.obj["draft"], at.UTC().Format(time.RFC3339))
	}

	// Unseen until then: the work, its chapter list, the chapter, search, the listing's counts.
	guest := e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)
	if len(guest.list("chapters")) != 1 || guest.num("chapters_posted") != 1 || guest.obj["publish_at"] != nil {
		t.Errorf("guest sees %s", guest.raw)
	}
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), "", nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), e.bob, nil), http.StatusNotFound)
	if ids, _ := e.listIDs("", "q=zebra"); len(ids) != 0 {
		t.Errorf("search finds the scheduled chapter: %v", ids)
	}
	if _, l := e.listIDs("", ""); l.list("works")[0].(map[string]any)["words"].(float64) != 4 {
		t.Errorf("the listing counts the scheduled chapter's words: %v", l.list("works")[0])
	}
	if e.runJobs(); e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK).num("total") != 0 {
		t.Error("bob was told before the chapter was out")
	}

	// At its time the runner publishes it, once, and tells bob.
	clk.add(2*time.Hour + time.Second)
	e.runJobs()
	got := e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), "", nil), http.StatusOK)
	if got.str("title") != "Secret" || got.obj["publish_at"] != nil {
		t.Errorf("published chapter %s", got.raw)
	}
	if ids, _ := e.listIDs("", "q=zebra"); len(ids) != 1 {
		t.Errorf("search misses the published chapter: %v", ids)
	}
	if n := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK).num("total"); n != 1 {
		t.Errorf("bob's inbox has %d entries, want 1", n)
	}
	mine := e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), e.alice, nil), http.StatusOK)
	if mine.obj["draft"] != false || mine.obj["publish_at"] != nil {
		t.Errorf("the creator still sees a schedule: %s", mine.raw)
	}
	// A second run (a retry, another node) changes nothing.
	e.runJobs()
	if n := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK).num("total"); n != 1 {
		t.Errorf("bob told twice: %d", n)
	}
}

func TestScheduleEdits(t *testing.T) {
	e := newEnv(t)
	clk := e.clock(time.Now().UTC().Truncate(time.Second))
	id := e.post(e.alice, work("Moving Target"))
	chapters := path("/api/v1/works/%d/chapters", id)
	first := clk.now().Add(time.Hour).Format(time.RFC3339)
	e.want(e.do("POST", chapters, e.alice, map[string]any{"body": "Later text.", "publish_at": first}), http.StatusCreated)
	// Moved a day later: the old time publishes nothing.
	later := clk.now().Add(25 * time.Hour).Format(time.RFC3339)
	r := e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"publish_at": later}), http.StatusOK)
	if r.str("publish_at") != later {
		t.Fatalf("moved schedule %s", r.raw)
	}
	// Editing the text keeps the schedule.
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/2", id), e.alice, map[string]any{"body": "Later text, revised."}), http.StatusOK)
	clk.add(2 * time.Hour)
	e.runJobs()
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), "", nil), http.StatusNotFound)
	clk.add(24 * time.Hour)
	e.runJobs()
	e.want(e.do("GET", path("/api/v1/works/%d/chapters/2", id), "", nil), http.StatusOK)
	// A posted chapter can't be scheduled.
	e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/1", id), e.alice, map[string]any{"publish_at": later}), http.StatusUnprocessableEntity)

	// Posting a scheduled chapter now voids its schedule.
	third := clk.now().Add(time.Hour).Format(time.RFC3339)
	e.want(e.do("POST", chapters, e.alice, map[string]any{"body": "Third.", "publish_at": third}), http.StatusCreated)
	r = e.want(e.do("PATCH", path("/api/v1/works/%d/chapters/3", id), e.alice, map[string]any{"draft": false}), http.StatusOK)
	if r.obj["draft"] != false || r.obj["publish_at"] != nil {
		t.Errorf("posted now: %s", r.raw)
	}
}

func TestScheduledWork(t *testing.T) {
	e := newEnv(t)
	clk := e.clock(time.Now().UTC().Truncate(time.Second))
	e.want(e.do("POST", "/api/v1/subscriptions", e.bob, map[string]any{"kind": "user", "target": "alice"}), http.StatusCreated)
	body := work("Premiere")
	body["publish_at"] = clk.now().Add(3 * time.Hour).Format(time.RFC3339)
	r := e.want(e.do("POST", "/api/v1/works", e.alice, body), http.StatusCreated)
	id := r.num("id")
	if r.obj["draft"] != true || r.str("publish_at") == "" {
		t.Fatalf("scheduled work %s", r.raw)
	}
	e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusNotFound)
	if ids, _ := e.listIDs(e.bob, ""); len(ids) != 0 {
		t.Errorf("listed before its time: %v", ids)
	}
	if l := e.want(e.do("GET", "/api/v1/me/drafts", e.alice, nil), http.StatusOK).list("works"); len(l) != 1 {
		t.Errorf("the creator's drafts: %v", l)
	}
	clk.add(3*time.Hour + time.Second)
	e.runJobs()
	g := e.want(e.do("GET", path("/api/v1/works/%d", id), "", nil), http.StatusOK)
	if g.str("posted_at") != clk.now().Truncate(time.Second).Format(time.RFC3339) && g.str("posted_at") == "" {
		t.Errorf("posted_at %s", g.str("posted_at"))
	}
	if ids, _ := e.listIDs("", ""); len(ids) != 1 {
		t.Errorf("not listed after its time: %v", ids)
	}
	if n := e.want(e.do("GET", "/api/v1/me/inbox", e.bob, nil), http.StatusOK).num("total"); n != 1 {
		t.Errorf("bob's inbox: %d", n)
	}
}
