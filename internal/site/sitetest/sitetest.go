// Package sitetest wires a real archive for tests, in one place: a fresh
// store on the engine under test (testdb: SQLite, or PostgreSQL when the
// package's TestMain runs it there), the listing index built from it, the
// job runner with mail written to a log the test can read, and the site.
// A change to how an archive is wired is a change to this file.
package sitetest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"quire/internal/jobs"
	"quire/internal/listing"
	"quire/internal/mail"
	"quire/internal/site"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
)

// Rig is one wired archive. Store is there for a test's own set-up and
// checks; what the test exercises goes through Site.
type Rig struct {
	Loc   string // the testdb location (a directory or a postgres:// URL)
	Store *sqlstore.Store
	Index *listing.Index
	Jobs  *jobs.Runner
	Site  *site.Site
	Mail  *Buffer // what the mail log sender wrote, unless Options.Mailer was given
}

// Options changes the wiring.
type Options struct {
	Loc     string      // an existing testdb location to open (default: a fresh one)
	BaseURL string      // default http://quire.test
	Mailer  mail.Sender // default: a log sender writing to Rig.Mail
}

// New wires a fresh, empty archive, closed when the test ends.
func New(t testing.TB) *Rig { return Open(t, Options{}) }

// Open wires an archive as opt says, closed when the test ends.
func Open(t testing.TB, opt Options) *Rig {
	t.Helper()
	ctx := context.Background()
	if opt.Loc == "" {
		opt.Loc = testdb.Location(t)
	}
	if opt.BaseURL == "" {
		opt.BaseURL = "http://quire.test"
	}
	st, err := testdb.OpenAt(ctx, opt.Loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := listing.Build(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	r := &Rig{Loc: opt.Loc, Store: st, Index: ix, Jobs: jobs.NewRunner(st, log), Mail: &Buffer{}}
	if opt.Mailer == nil {
		opt.Mailer = mail.NewLog(slog.New(slog.NewTextHandler(r.Mail, nil)))
	}
	mail.Register(r.Jobs, opt.Mailer)
	r.Site = site.New(st, ix, r.Jobs, log, opt.BaseURL)
	return r
}

// Node wires a second site over the same store, as another application node
// would run: its own index and job runner.
func (r *Rig) Node(t testing.TB) *site.Site {
	t.Helper()
	ix, err := listing.Build(context.Background(), r.Store, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	return site.New(r.Store, ix, jobs.NewRunner(r.Store, log), log, r.Site.BaseURL)
}

// Buffer is a bytes.Buffer safe for the job runner and the test at once.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

var _ io.Writer = (*Buffer)(nil)

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
