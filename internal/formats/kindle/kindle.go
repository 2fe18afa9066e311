// Package kindle makes Kindle books (AZW3, KF8) from the archive's EPUBs
// with calibre's ebook-convert, as AO3 does: no Go library writes KF8
// soundly, and calibre is the converter Kindle readers already trust. It
// is optional: without ebook-convert the archive offers no Kindle
// download. Each conversion is a process of its own with a time limit; a
// Converter runs a bounded number at once.
package kindle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Options configure a Converter.
type Options struct {
	// EbookConvert is calibre's ebook-convert executable.
	EbookConvert string
	// Timeout bounds one conversion (default 3 minutes).
	Timeout time.Duration
	// Parallel is how many conversions may run at once (default 1).
	Parallel int
}

// Converter turns EPUBs into AZW3 books.
type Converter struct {
	opt   Options
	slots chan struct{}
}

// FindEbookConvert is calibre's ebook-convert on PATH, or "".
func FindEbookConvert() string {
	p, err := exec.LookPath("ebook-convert")
	if err != nil {
		return ""
	}
	return p
}

// New is a converter using opt.EbookConvert.
func New(opt Options) *Converter {
	if opt.Timeout <= 0 {
		opt.Timeout = 3 * time.Minute
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 1
	}
	return &Converter{opt: opt, slots: make(chan struct{}, opt.Parallel)}
}

// ErrBusy is a conversion that waited its whole time limit for a slot.
var ErrBusy = errors.New("kindle: every converter is busy; try again shortly")

// AZW3 converts an EPUB (as formats.EPUB writes it) into an AZW3 book.
func (c *Converter) AZW3(ctx context.Context, out io.Writer, epub []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return ErrBusy
	}
	dir, err := os.MkdirTemp("", "quire-kindle-")
	if err != nil {
		return fmt.Errorf("kindle: %w", err)
	}
	defer os.RemoveAll(dir)
	in, dst := filepath.Join(dir, "book.epub"), filepath.Join(dir, "book.azw3")
	if err := os.WriteFile(in, epub, 0o600); err != nil {
		return fmt.Errorf("kindle: %w", err)
	}
	cmd := exec.CommandContext(ctx, c.opt.EbookConvert, in, dst, "--no-inline-toc")
	// calibre keeps its settings under HOME; a fresh one per run, and
	// no display needed.
	cmd.Env = append(os.Environ(), "HOME="+dir, "CALIBRE_CONFIG_DIRECTORY="+filepath.Join(dir, "config"), "QT_QPA_PLATFORM=offscreen")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("kindle: the conversion took longer than %v", c.opt.Timeout)
		}
		return fmt.Errorf("kindle: ebook-convert: %v: %s", err, lastLine(stderr.String()))
	}
	f, err := os.Open(dst)
	if err != nil {
		return fmt.Errorf("kindle: %w", err)
	}
	defer f.Close()
	_, err = io.Copy(out, f)
	return err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
