package bench

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"quire/internal/demo"
	"quire/internal/site"
	"quire/internal/store/sqlite"
)

// archiveMark records what a bench archive was generated with, so a later
// run reuses it only for the same size and seed.
type archiveMark struct {
	Works int   `json:"works"`
	Seed  int64 `json:"seed"`
	// BodyWords is the median chapter length; absent in marks written
	// before it was recorded, which were all filterBodyWords.
	BodyWords int `json:"body_words,omitempty"`
}

// filterBodyWords is the chapter length of `quire bench filter`'s archives:
// it measures listings, which show no chapter text.
const filterBodyWords = 20

const markFile = "bench-archive.json"

// openArchive opens the bench archive in dir, generating n demo works with
// chapters of bodyWords words (median) into it first when it is empty. An
// archive of another size, seed or length is refused rather than
// overwritten, except that with grows an archive whose mark says n may hold
// more (the traffic bench's creator adds works).
func openArchive(ctx context.Context, dir string, n int, seed int64, bodyWords int, grows bool, progress io.Writer) (*sqlite.Store, error) {
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("open bench archive in %s: %w", dir, err)
	}
	fail := func(err error) (*sqlite.Store, error) {
		st.Close()
		return nil, err
	}
	have, err := st.CountWorks(ctx)
	if err != nil {
		return fail(err)
	}
	markPath := filepath.Join(dir, markFile)
	var mark archiveMark
	b, markErr := os.ReadFile(markPath)
	if markErr == nil && json.Unmarshal(b, &mark) != nil {
		return fail(fmt.Errorf("%s: not a bench archive mark; use another --data", markPath))
	}
	if grows && have > n && markErr == nil && mark.Works == n {
		have = n
	}
	switch {
	case have == n:
		switch err := markErr; {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(progress, "bench: reusing the %d works in %s (seed unknown)\n", n, dir)
		case err != nil:
			return fail(err)
		case mark.Seed != seed:
			return fail(fmt.Errorf("%s holds %d works generated with another seed (see %s); use another --data", dir, n, markFile))
		case cmp.Or(mark.BodyWords, filterBodyWords) != bodyWords:
			return fail(fmt.Errorf("%s holds %d works with chapters of another length (see %s); use another --data", dir, n, markFile))
		default:
			fmt.Fprintf(progress, "bench: reusing the %d works in %s\n", n, dir)
		}
	case have == 0:
		fmt.Fprintf(progress, "bench: generating %d works into %s\n", n, dir)
		start := time.Now()
		if err := site.FillDemo(ctx, st, demo.Options{Works: n, Seed: seed, BodyWords: bodyWords}, progress); err != nil {
			return fail(fmt.Errorf("generate bench archive: %w", err))
		}
		b, _ := json.Marshal(archiveMark{Works: n, Seed: seed, BodyWords: bodyWords})
		if err := os.WriteFile(markPath, b, 0o640); err != nil {
			return fail(err)
		}
		fmt.Fprintf(progress, "bench: generated %d works in %.1fs\n", n, time.Since(start).Seconds())
	default:
		return fail(fmt.Errorf("%s holds %d works, not %d; use another --data or remove it", dir, have, n))
	}
	return st, nil
}

// OpenTrafficArchive opens (or first generates) the SQLite archive of n
// works `quire bench traffic` reads from; see openArchive.
func OpenTrafficArchive(ctx context.Context, dir string, n int, seed int64, bodyWords int, progress io.Writer) (*sqlite.Store, error) {
	return openArchive(ctx, dir, n, seed, bodyWords, true, progress)
}
