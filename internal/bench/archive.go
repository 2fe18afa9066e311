package bench

import (
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
}

const markFile = "bench-archive.json"

// openArchive opens the bench archive in dir, generating n demo works into
// it first when it is empty. An archive of another size is refused rather
// than overwritten.
func openArchive(ctx context.Context, dir string, n int, seed int64, progress io.Writer) (*sqlite.Store, error) {
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
	switch {
	case have == n:
		var mark archiveMark
		b, err := os.ReadFile(markPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(progress, "bench: reusing the %d works in %s (seed unknown)\n", n, dir)
		case err != nil:
			return fail(err)
		case json.Unmarshal(b, &mark) != nil || mark.Seed != seed:
			return fail(fmt.Errorf("%s holds %d works generated with another seed (see %s); use another --data", dir, n, markFile))
		default:
			fmt.Fprintf(progress, "bench: reusing the %d works in %s\n", n, dir)
		}
	case have == 0:
		fmt.Fprintf(progress, "bench: generating %d works into %s\n", n, dir)
		start := time.Now()
		if err := site.FillDemo(ctx, st, demo.Options{Works: n, Seed: seed, BodyWords: 20}, progress); err != nil {
			return fail(fmt.Errorf("generate bench archive: %w", err))
		}
		b, _ := json.Marshal(archiveMark{Works: n, Seed: seed})
		if err := os.WriteFile(markPath, b, 0o640); err != nil {
			return fail(err)
		}
		fmt.Fprintf(progress, "bench: generated %d works in %.1fs\n", n, time.Since(start).Seconds())
	default:
		return fail(fmt.Errorf("%s holds %d works, not %d; use another --data or remove it", dir, have, n))
	}
	return st, nil
}
