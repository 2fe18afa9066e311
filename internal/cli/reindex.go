package cli

import (
	"context"
	"fmt"
	"io"
	"time"
)

// reindexCmd (quire reindex) rewrites every work's full-text row from the
// stored work: works indexed before the CJK tokenizer then match Chinese
// and Japanese substrings without waiting for their next edit. Safe on a
// running archive (a batch of works per transaction) and to run again.
func reindexCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reindex", stderr)
	var sf storeFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: quire reindex [--data DIR | --db URL]")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	n, err := st.ReindexWorks(ctx, func(done, total int) {
		fmt.Fprintf(stderr, "\rreindex: %d/%d works", done, total)
	})
	if n > 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return fmt.Errorf("reindex stopped after %d works (the rest keep their old rows; run it again): %w", n, err)
	}
	fmt.Fprintf(stdout, "reindex: %d works in %.1fs\n", n, time.Since(start).Seconds())
	return nil
}
