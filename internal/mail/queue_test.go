package mail

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"quire/internal/jobs"
	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func openStore(t *testing.T, dir string) *sqlstore.Store {
	t.Helper()
	st, err := testdb.OpenAt(context.Background(), dir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}

// jobRow is the job table's view of the only job.
type jobRow struct {
	attempts  int
	runAt     int64
	lastError string
	done      bool
}

func onlyJob(t *testing.T, st *sqlite.Store) jobRow {
	t.Helper()
	var r jobRow
	var done sql.NullInt64
	err := st.DB().QueryRow(`SELECT attempts, run_at, last_error, done_at FROM jobs`).Scan(&r.attempts, &r.runAt, &r.lastError, &done)
	if err != nil {
		t.Fatalf("read job row: %v", err)
	}
	r.done = done.Valid && done.Int64 != 0
	return r
}

func pending(t *testing.T, st *sqlite.Store) int {
	t.Helper()
	n, err := st.PendingJobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func runDue(t *testing.T, r *jobs.Runner) int {
	t.Helper()
	n, err := r.RunDue(context.Background())
	if err != nil {
		t.Fatalf("RunDue: %v", err)
	}
	return n
}

func TestQueueDeliversViaSMTP(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, testdb.Location(t))
	defer st.Close()
	srv := newTestSMTP(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	r := jobs.NewRunner(st, nil)
	Register(r, s)

	m := testMessage()
	if err := Queue(ctx, r, m); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("Queue sent %d messages itself", n)
	}
	if n := pending(t, st); n != 1 {
		t.Fatalf("pending = %d, want 1", n)
	}
	if n := runDue(t, r); n != 1 {
		t.Fatalf("RunDue ran %d jobs, want 1", n)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	msg, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subj != m.Subject {
		t.Errorf("Subject = %q", subj)
	}
	if v := msg.Header.Get("List-Unsubscribe"); v != m.Headers["List-Unsubscribe"] {
		t.Errorf("List-Unsubscribe = %q", v)
	}
	if n := pending(t, st); n != 0 {
		t.Errorf("pending after delivery = %d", n)
	}
	if j := onlyJob(t, st); !j.done || j.attempts != 1 {
		t.Errorf("job after delivery: %+v", j)
	}
}

func TestQueueRefusesInvalidMessage(t *testing.T) {
	st := openStore(t, testdb.Location(t))
	defer st.Close()
	r := jobs.NewRunner(st, nil)
	for _, m := range []Message{
		{To: "zoe@example.org", Subject: "Hi\r\nBcc: all@example.org", Text: "x"},
		{To: "not an address", Subject: "Hi", Text: "x"},
	} {
		if err := Queue(context.Background(), r, m); !errors.Is(err, ErrInvalid) {
			t.Errorf("Queue(%+v) = %v, want ErrInvalid", m, err)
		}
	}
	if n := pending(t, st); n != 0 {
		t.Errorf("invalid messages were queued: pending = %d", n)
	}
}

func TestQueueRetriesUntilServerRecovers(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, testdb.Location(t))
	defer st.Close()
	srv := newTestSMTP(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{time.Unix(1_700_000_000, 0)}
	start := clk.t
	r := jobs.NewRunner(st, slog.New(slog.DiscardHandler))
	r.Now = clk.now
	Register(r, s)

	if err := Queue(ctx, r, testMessage()); err != nil {
		t.Fatal(err)
	}

	// Three different failures: 451 to MAIL, a hang-up, 451 after DATA.
	wantRunAt := start
	for i, f := range []struct {
		mode    int
		errText string
	}{
		{modeTempFail, "451"},
		{modeHangUp, "EOF"},
		{modeDataFail, "queue full"},
	} {
		srv.setMode(f.mode)
		if n := runDue(t, r); n != 1 {
			t.Fatalf("attempt %d: RunDue ran %d jobs, want 1", i+1, n)
		}
		wantRunAt = clk.t.Add(jobs.Backoff(i + 1))
		j := onlyJob(t, st)
		if j.attempts != i+1 || j.done || j.runAt != wantRunAt.Unix() || !strings.Contains(j.lastError, f.errText) {
			t.Fatalf("after failure %d: %+v, want attempts %d, run_at %d (+%v), error containing %q",
				i+1, j, i+1, wantRunAt.Unix(), jobs.Backoff(i+1), f.errText)
		}
		// Not due again before its backoff ends.
		clk.advance(jobs.Backoff(i+1) - time.Second)
		if n := runDue(t, r); n != 0 {
			t.Fatalf("job ran again %d time(s) before its backoff ended", n)
		}
		clk.t = wantRunAt
	}
	if got := jobs.Backoff(1); got != 30*time.Second {
		t.Errorf("first backoff = %v, want 30s", got)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("failing server recorded %d messages", n)
	}

	srv.setMode(modeOK)
	if n := runDue(t, r); n != 1 {
		t.Fatalf("RunDue after recovery ran %d jobs", n)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("server got %d messages after recovery, want 1", n)
	}
	if j := onlyJob(t, st); !j.done {
		t.Fatalf("job not done after delivery: %+v", j)
	}
	// Delivered exactly once: nothing more runs, however late.
	clk.advance(24 * time.Hour)
	if n := runDue(t, r); n != 0 {
		t.Fatalf("RunDue ran %d more jobs", n)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("server got %d messages, want exactly 1", n)
	}
	if n := pending(t, st); n != 0 {
		t.Errorf("pending = %d", n)
	}
}

func TestQueueSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := testdb.Location(t)
	srv := newTestSMTP(t)

	// First process: queues mail and stops before sending it.
	st1 := openStore(t, dir)
	r1 := jobs.NewRunner(st1, nil)
	m := testMessage()
	if err := Queue(ctx, r1, m); err != nil {
		t.Fatal(err)
	}
	if err := st1.Close(); err != nil {
		t.Fatal(err)
	}

	// Second process: a new store over the same directory and a new runner.
	st2 := openStore(t, dir)
	defer st2.Close()
	if n := pending(t, st2); n != 1 {
		t.Fatalf("pending after restart = %d, want 1", n)
	}
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	r2 := jobs.NewRunner(st2, nil)
	Register(r2, s)
	if n := runDue(t, r2); n != 1 {
		t.Fatalf("RunDue after restart ran %d jobs, want 1", n)
	}
	msgs := srv.messages()
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "zoe@example.org" {
		t.Fatalf("after restart the server got %+v", msgs)
	}
	if n := pending(t, st2); n != 0 {
		t.Errorf("pending = %d", n)
	}
}

func TestRunnerSendsQueuedMail(t *testing.T) {
	st := openStore(t, testdb.Location(t))
	defer st.Close()
	srv := newTestSMTP(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	r := jobs.NewRunner(st, nil)
	r.PollInterval = time.Hour // only the Enqueue nudge can wake it
	Register(r, s)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		r.Run(ctx)
		close(stopped)
	}()
	time.Sleep(50 * time.Millisecond) // let Run go idle
	if err := Queue(context.Background(), r, testMessage()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("Run delivered %d messages, want 1", n)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}
