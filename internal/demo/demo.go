// Package demo generates a synthetic archive whose shape follows AO3's public data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"quire/internal/archive"
)

// Options configures Generate.
type Options struct {
	Works     int   // number of works
	Seed      int64 // same seed, same archive
	BodyWords int   // median chapter body length in words (0 = 1500); the heavy-tailed shape is kept, scaled
	Users     int   // 0 = derive from Works (about Works/8, at least 3)
}

// Work is one generated work for a user.
type Work struct {
	UserIndex int               // index into the users created (0-based)
	Input     archive.WorkInput // goes through the archive's normal validation
	Hits      int64
	Kudos     int64
}

// TagWrangling is the wrangling data for one tag (stored as real wrangling data).
type TagWrangling struct {
	Type      archive.TagType
	Name      string
	Canonical bool
	SynonymOf string   // name of a canonical tag of the same type, or ""
	Meta      []string // names of canonical meta tags of the same type
	Parents   []string // parent fandom names (for characters, relationships, freeforms)
}

// Target receives the archive. The lead implements it over the real store.
type Target interface {
	CreateUser(ctx context.Context, name, email string) error
	// Wrangle is called ONCE, before any works, with every tag that has wrangling data
	// (canonical tags, synonyms, meta relations); unwrangled tags are simply used on works.
	Wrangle(ctx context.Context, tags []TagWrangling) error
	// PostWorks stores a batch of works (called with batches of ~500).
	PostWorks(ctx context.Context, batch []Work) error
}

// BatchSize is the number of works per PostWorks call (the last may be smaller).
const BatchSize = 500

// DefaultBodyWords is the median chapter length when Options.BodyWords is 0.
const DefaultBodyWords = 1500

// UserName is the name of the i-th demo user: "demo_author" for the first
// (the most prolific), "demo_reader_<i>" for the others.
func UserName(i int) string {
	if i == 0 {
		return "demo_author"
	}
	return "demo_reader_" + strconv.Itoa(i)
}

// UserCount is the number of users Generate creates for opts.
func UserCount(opts Options) int {
	if opts.Users > 0 {
		return opts.Users
	}
	return max(3, opts.Works/8)
}

// Generate creates the users (UserName(0..UserCount-1), e-mail
// name@example.invalid), then the tag vocabulary (one Wrangle call: canonical
// fandoms, characters, relationships and freeforms with their metas and
// parents, each after the tags it names, then the synonyms; the fixed
// ratings, warnings and categories are not included), then the works in
// batches of BatchSize, in posting order. It writes a progress line to
// progress ("\rdemo: 12000/100000 works (12%) 3.2s"), which may be nil or
// io.Discard. The same Options always yield the same calls with the same data.
func Generate(ctx context.Context, t Target, opts Options, progress io.Writer) error {
	if opts.Works < 0 || opts.Users < 0 || opts.BodyWords < 0 {
		return errors.New("demo: negative option")
	}
	if progress == nil {
		progress = io.Discard
	}
	bodyWords := opts.BodyWords
	if bodyWords == 0 {
		bodyWords = DefaultBodyWords
	}
	users := UserCount(opts)
	start := time.Now()

	for i := range users {
		name := UserName(i)
		if err := t.CreateUser(ctx, name, name+"@example.invalid"); err != nil {
			return fmt.Errorf("demo: user %s: %w", name, err)
		}
	}

	v := newVocab(opts.Seed, fandomCount(opts.Works))
	if err := t.Wrangle(ctx, v.wrangle()); err != nil {
		return fmt.Errorf("demo: wrangling: %w", err)
	}

	g := newGenerator(v, opts.Seed, users, bodyWords)
	times := postedTimes(opts.Seed, opts.Works)
	report := func(done int) {
		pct := 100
		if opts.Works > 0 {
			pct = done * 100 / opts.Works
		}
		fmt.Fprintf(progress, "\rdemo: %d/%d works (%d%%) %.1fs", done, opts.Works, pct, time.Since(start).Seconds())
	}
	report(0)
	for done := 0; done < opts.Works; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(BatchSize, opts.Works-done)
		batch := make([]Work, n)
		for i := range batch {
			batch[i] = g.work(times[done+i])
		}
		if err := t.PostWorks(ctx, batch); err != nil {
			return fmt.Errorf("demo: posting works %d–%d: %w", done+1, done+n, err)
		}
		done += n
		report(done)
	}
	fmt.Fprintln(progress)
	return nil
}
