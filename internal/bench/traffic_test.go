package bench

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"quire/internal/site"
)

// A bench reader keeps under the node's comment limit: it takes the
// limit's number of comments in a minute, then waits until the oldest is a
// minute (and a second) old; a comment the node did not take frees its slot.
func TestBenchReaderKeepsUnderTheCommentLimit(t *testing.T) {
	v := &visitor{name: "bench_reader_1"}
	t0 := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	for i := range site.CommentsPerMinute {
		if !v.mayComment(t0.Add(time.Duration(i) * time.Second)) {
			t.Fatalf("comment %d refused under the limit", i+1)
		}
	}
	late := t0.Add(30 * time.Second)
	if v.mayComment(late) {
		t.Fatalf("comment %d allowed within the minute", site.CommentsPerMinute+1)
	}
	v.uncomment(t0.Add(3 * time.Second))
	if !v.mayComment(late) {
		t.Fatal("a slot freed by a comment the node refused was not reused")
	}
	if v.mayComment(late) {
		t.Fatal("allowed past the limit after reusing a slot")
	}
	if !v.mayComment(t0.Add(time.Minute + 2*time.Second)) {
		t.Fatal("still refused once the first comment was over a minute old")
	}
}

// Refused comments (429) are counted apart from errors, and errors are
// reported by status.
func TestTrafficSummaryKeepsRefusalsApart(t *testing.T) {
	comment := -1
	for i, m := range trafficMix {
		if m.Class == "comment" {
			comment = i
		}
	}
	samples := [][]sample{{
		{class: comment, d: time.Millisecond, status: http.StatusSeeOther},
		{class: comment, d: time.Millisecond, status: http.StatusTooManyRequests},
		{class: comment, d: time.Millisecond, status: http.StatusForbidden, err: true},
		{class: 0, d: time.Millisecond, status: http.StatusInternalServerError, err: true},
	}}
	rep := &TrafficReport{}
	summarize(rep, samples, time.Second, true)
	c := rep.Classes[comment]
	if c.Requests != 1 || c.Refused != 1 || c.Errors != 1 || c.ErrorStatus["403"] != 1 {
		t.Errorf("comment class %+v: want 1 acknowledged, 1 refused, 1 error (403)", c)
	}
	if rep.Total.Errors != 2 || rep.Total.Refused != 1 || rep.WritesAcked != 1 {
		t.Errorf("total %+v, writes %d: want 2 errors, 1 refused, 1 write", rep.Total, rep.WritesAcked)
	}
	var b bytes.Buffer
	rep.Text(&b)
	if !strings.Contains(b.String(), "status 403: 1") || !strings.Contains(b.String(), "1 refused 429") {
		t.Errorf("report text does not name the refusal and the error's status:\n%s", b.String())
	}
}
