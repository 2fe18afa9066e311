// Package pdf prints works as PDF files through a headless Chromium: the
// HTML download laid out for paper (formats.PrintDocument) goes through
// the browser's own print engine, which shapes every script with
// HarfBuzz, falls back across the installed fonts (Noto for CJK, Arabic,
// Hebrew and emoji), embeds the fonts it used as subsets, keeps the text
// selectable, and writes a bookmark per heading and the page numbers.
// Each print is a browser process of its own, with a time limit; a
// Printer runs a bounded number at once.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdpio "github.com/chromedp/cdproto/io"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"quire/internal/archive"
	"quire/internal/formats"
)

// Paper sizes.
const (
	A4     = "a4"
	Letter = "letter"
)

// Options configure a Printer.
type Options struct {
	// Browser is the Chromium (or Chrome) executable.
	Browser string
	// Timeout bounds one print (default 3 minutes).
	Timeout time.Duration
	// Parallel is how many prints may run at once (default 1): each is a
	// browser process that may take hundreds of MiB for a long work.
	Parallel int
}

// Printer prints works; nil prints nothing.
type Printer struct {
	opt   Options
	slots chan struct{}
}

// FindBrowser is the first Chromium or Chrome on PATH, or "".
func FindBrowser() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New is a printer using opt.Browser.
func New(opt Options) *Printer {
	if opt.Timeout <= 0 {
		opt.Timeout = 3 * time.Minute
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 1
	}
	return &Printer{opt: opt, slots: make(chan struct{}, opt.Parallel)}
}

// ErrBusy is a print that waited its whole time limit for a free slot.
var ErrBusy = errors.New("pdf: every printer is busy; try again shortly")

// Print writes the work as a PDF on paper (A4 or Letter).
func (p *Printer) Print(ctx context.Context, out io.Writer, work *archive.Work, chapters []*archive.Chapter, site formats.SiteInfo, paper string) error {
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return ErrBusy
	}
	dir, err := os.MkdirTemp("", "quire-pdf-")
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	defer os.RemoveAll(dir)
	doc := filepath.Join(dir, "book.html")
	f, err := os.Create(doc)
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	err = formats.PrintDocument(f, work, chapters, site, paper)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.opt.Browser),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		// The book is one local file with nothing to fetch.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("renderer-process-limit", "1"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()

	w, h := 8.27, 11.69 // A4 in inches
	if paper == Letter {
		w, h = 8.5, 11
	}
	yes := true
	zero := 0.0
	err = chromedp.Do(bctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate("file://"+doc),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
				PaperWidth: w, PaperHeight: h, PreferCSSPageSize: &yes,
				MarginTop: &zero, MarginBottom: &zero, MarginLeft: &zero, MarginRight: &zero,
				DisplayHeaderFooter:     &yes,
				HeaderTemplate:          `<span></span>`,
				FooterTemplate:          `<div style="width:100%;font-size:8pt;text-align:center;color:#444"><span class="pageNumber"></span></div>`,
				GenerateDocumentOutline: &yes, GenerateTaggedPDF: &yes,
				TransferMode: page.PrintToPDFTransferModeReturnAsStream,
			})
			if err != nil {
				return err
			}
			defer cdp.Call(ctx, t, cdpio.Close, cdpio.CloseParams{Handle: res.Stream})
			for {
				chunk, err := cdp.Call(ctx, t, cdpio.Read, cdpio.ReadParams{Handle: res.Stream, Size: 1 << 20})
				if err != nil {
					return err
				}
				if _, err := out.Write(chunk.Data); err != nil {
					return err
				}
				if chunk.EOF {
					return nil
				}
			}
		}),
	)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("pdf: the print took longer than %v", p.opt.Timeout)
		}
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}
