package importer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// Target is where imported works land.
type Target interface {
	Pseuds(ctx context.Context, userID int64) ([]archive.Pseud, error)
	ImportWorks(ctx context.Context, ws []store.ImportedWork, dryRun bool) error
}

// FileOptions are one import's choices.
type FileOptions struct {
	Options
	// Format is a format Parse accepts, or "auto" (or "") to Detect it.
	Format string
	DryRun bool
	// Now is what "the future" is measured against (default: the clock).
	Now time.Time
	// Check, when set, sees the prepared work before it is stored: it may
	// refuse it (the archive's content policy) or hold it for review (and
	// give the audit entry stored with it).
	Check func(*store.NewWork) error
}

// Made is one work an import made (or, in a dry run, would make).
type Made struct {
	ID       int64 // 0 in a dry run
	Title    string
	Chapters int
	Words    int
	Series   []string
	Remarks  []string
}

// Report is what an import of one file did.
type Report struct {
	Format string
	DryRun bool
	Works  []Made
}

// String is the report in one line.
func (r *Report) String() string {
	var parts []string
	for _, m := range r.Works {
		s := strconv.Quote(m.Title)
		if m.ID != 0 {
			s = fmt.Sprintf("work %d %s", m.ID, s)
		}
		s += fmt.Sprintf(" (%s, %d chapter%s, %d words", r.Format, m.Chapters, plural(m.Chapters), m.Words)
		for _, sr := range m.Series {
			s += ", " + sr
		}
		s += ")"
		if len(m.Remarks) > 0 {
			s += "; " + strings.Join(m.Remarks, "; ")
		}
		parts = append(parts, s)
	}
	verb := "imported "
	if r.DryRun {
		verb = "would import "
	}
	return verb + strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ImportFile parses one file and stores its work as u's, in one
// transaction: the work lands whole or not at all, validated as a posted
// work is. The byline is u's pseud that the file's byline names, else u's
// default pseud. The work keeps the file's dates: published is the work's
// posted date and its first chapter's, the last update is its last
// chapter's.
func ImportFile(ctx context.Context, t Target, u *archive.User, name string, data []byte, opt FileOptions) (*Report, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	format := opt.Format
	if format == "" || format == "auto" {
		format = Detect(name, data[:min(len(data), DetectBytes)])
		switch format {
		case FormatJSONL:
			return nil, errors.New("this looks like a Quire export (jsonl), which imports on the command line: quire import --format jsonl")
		case FormatEFiction:
			return nil, errors.New("this looks like an eFiction MySQL dump, which imports on the command line: quire import --format efiction")
		}
	}
	w, err := Parse(format, name, data, opt.Options)
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	pseuds, err := t.Pseuds(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	iw, err := Prepare(w, pseuds, opt.Options, now)
	if err != nil {
		return nil, err
	}
	if opt.Check != nil {
		if err := opt.Check(&iw.NewWork); err != nil {
			return nil, err
		}
	}
	if err := t.ImportWorks(ctx, []store.ImportedWork{iw}, opt.DryRun); err != nil {
		return nil, err
	}
	m := Made{Title: iw.Work.Title, Chapters: len(iw.Chapters), Remarks: w.Remarks}
	if !opt.DryRun {
		m.ID = iw.Work.ID
	}
	for _, c := range iw.Chapters {
		m.Words += c.Words
	}
	for _, s := range iw.Series {
		m.Series = append(m.Series, fmt.Sprintf("part %d of %q", s.Position, s.Title))
	}
	return &Report{Format: format, DryRun: opt.DryRun, Works: []Made{m}}, nil
}

// Prepare validates a parsed work as a posted one, credits it to the pseuds
// (the ones its byline names, else the default) and dates its chapters.
func Prepare(w *Work, pseuds []archive.Pseud, opt Options, now time.Time) (store.ImportedWork, error) {
	in := w.Input(opt)
	// Who wrote it stays visible when the byline is not the importer's: a
	// public-domain book, a friend's story. AO3 does the same for works
	// it imports.
	var others []string
	for _, b := range w.Byline {
		b = strings.Join(strings.Fields(b), " ")
		mine := b == ""
		for _, p := range pseuds {
			if strings.EqualFold(b, p.Name) {
				mine = true
			}
		}
		if !mine {
			others = appendNew(others, shorten(b, 100))
		}
	}
	if len(others) > 0 {
		label := "Original creator: "
		if len(others) > 1 {
			label = "Original creators: "
		}
		note := richText(w.Format, label+strings.Join(others, ", "))
		if w.Format == archive.FormatMarkdown {
			note = strings.TrimSpace(note) + "\n\n"
		}
		in.Notes = note + in.Notes
		in.NotesFormat = w.Format
		w.Remarks = append(w.Remarks, "the notes name the original "+strings.ToLower(strings.TrimSuffix(label, ": "))+" "+strconv.Quote(strings.Join(others, ", ")))
	}
	if !in.PostedAt.IsZero() && in.PostedAt.After(now) {
		w.Remarks = append(w.Remarks, "the file's publication date is in the future; the work is dated today")
		in.PostedAt = time.Time{}
	}
	work, chapters, err := archive.PrepareWork(in, now)
	if err != nil {
		return store.ImportedWork{}, err
	}
	updated := w.Updated.UTC().Truncate(time.Second)
	if !updated.After(work.PostedAt) || updated.After(now) {
		updated = time.Time{}
	}
	if !updated.IsZero() {
		work.EditedAt = updated
		if len(chapters) > 1 {
			chapters[len(chapters)-1].PostedAt = updated
		}
	} else {
		work.EditedAt = work.PostedAt
	}
	var ids []int64
	for _, b := range w.Byline {
		for _, p := range pseuds {
			if strings.EqualFold(strings.TrimSpace(b), p.Name) {
				ids = appendID(ids, p.ID)
			}
		}
	}
	if len(ids) == 0 {
		for _, p := range pseuds {
			if p.IsDefault {
				ids = []int64{p.ID}
			}
		}
		if len(ids) == 0 && len(pseuds) > 0 {
			ids = []int64{pseuds[0].ID}
		}
	}
	if len(ids) == 0 {
		return store.ImportedWork{}, fmt.Errorf("the account has no pseud to credit the work to")
	}
	iw := store.ImportedWork{NewWork: store.NewWork{Work: work, Chapters: chapters, PseudIDs: ids}}
	for _, s := range w.Series {
		title, err := archive.CleanTitle("series", s.Title, true, archive.MaxTitleLength)
		if err != nil {
			w.Remarks = append(w.Remarks, fmt.Sprintf("left out the series %q: %v", shorten(s.Title, 40), err))
			continue
		}
		pos := s.Position
		if pos < 0 || pos > 100000 {
			pos = 0
		}
		iw.Series = append(iw.Series, store.ImportedSeries{Title: title, Position: pos})
	}
	return iw, nil
}

func appendID(ids []int64, id int64) []int64 {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}
