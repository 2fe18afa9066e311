package dump

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// The later lines of a dump: series, subscriptions, reading history and
// redirects.

type seriesLine struct {
	Type          string   `json:"type"`
	ID            int64    `json:"id"`
	Title         string   `json:"title"`
	Creators      []string `json:"creators"`
	Summary       string   `json:"summary"`
	SummarySource string   `json:"summary_source"`
	SummaryFormat string   `json:"summary_format"`
	Notes         string   `json:"notes"`
	NotesSource   string   `json:"notes_source"`
	NotesFormat   string   `json:"notes_format"`
	Complete      bool     `json:"complete"`
	Works         []int64  `json:"works"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`
}

// workSeriesRef is one entry of a work line's "series": where the work
// sits. The series lines are what an import writes; these are checked
// against them.
type workSeriesRef struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Position int    `json:"position"`
}

type subscriptionLine struct {
	Type string `json:"type"`
	User string `json:"user"`
	Kind string `json:"kind"`
	// Target is a work's or series' id, or a creator's name.
	Target    json.RawMessage `json:"target"`
	CreatedAt string          `json:"created_at"`
}

type readingLine struct {
	Type           string `json:"type"`
	User           string `json:"user"`
	WorkID         int64  `json:"work_id"`
	ChapterID      *int64 `json:"chapter_id"`
	Views          int    `json:"views"`
	MarkedForLater bool   `json:"marked_for_later"`
	FirstReadAt    string `json:"first_read_at"`
	LastReadAt     string `json:"last_read_at"`
}

type hiddenWorkLine struct {
	Type      string `json:"type"`
	User      string `json:"user"`
	WorkID    int64  `json:"work_id"`
	CreatedAt string `json:"created_at"`
}

type redirectLine struct {
	Type string `json:"type"`
	From string `json:"from"`
	To   string `json:"to"`
}

func seriesToLine(ds *store.DumpSeries) seriesLine {
	s := &ds.Series
	l := seriesLine{Type: "series", ID: s.ID, Title: s.Title, Creators: []string{},
		Summary: s.Summary.HTML, SummarySource: s.Summary.Source, SummaryFormat: format(s.Summary.Format),
		Notes: s.Notes.HTML, NotesSource: s.Notes.Source, NotesFormat: format(s.Notes.Format),
		Complete: s.Complete, Works: []int64{}, CreatedAt: ts(s.CreatedAt), UpdatedAt: ts(s.UpdatedAt)}
	for _, c := range s.Creators {
		l.Creators = append(l.Creators, c.Pseud)
	}
	for _, e := range s.Works {
		l.Works = append(l.Works, e.WorkID)
	}
	return l
}

func subscriptionToLine(s *store.DumpSubscription) subscriptionLine {
	var target []byte
	if s.Kind == "user" {
		target, _ = json.Marshal(s.TargetUser)
	} else {
		target, _ = json.Marshal(s.Target)
	}
	return subscriptionLine{Type: "subscription", User: s.User, Kind: s.Kind, Target: target, CreatedAt: ts(s.CreatedAt)}
}

func readingToLine(r *store.DumpReading) readingLine {
	return readingLine{Type: "reading", User: r.User, WorkID: r.WorkID, ChapterID: idOrNull(r.ChapterID), Views: r.Views,
		MarkedForLater: r.MarkedForLater, FirstReadAt: ts(r.FirstReadAt), LastReadAt: ts(r.LastReadAt)}
}

func hiddenWorkToLine(h *store.DumpHiddenWork) hiddenWorkLine {
	return hiddenWorkLine{Type: "hidden_work", User: h.User, WorkID: h.WorkID, CreatedAt: ts(h.CreatedAt)}
}

func redirectToLine(r *store.DumpRedirect) redirectLine {
	return redirectLine{Type: "redirect", From: r.From, To: r.To}
}

func (im *importer) series(l seriesLine) (*store.DumpSeries, error) {
	if l.ID <= 0 {
		return nil, errors.New("a series needs a positive id")
	}
	if first, ok := im.seriesIDs[l.ID]; ok {
		return nil, fmt.Errorf("series %d appears twice in the file (first on line %d)", l.ID, first)
	}
	im.seriesIDs[l.ID] = im.line
	fail := func(format string, args ...any) (*store.DumpSeries, error) {
		return nil, fmt.Errorf("series %d: %s", l.ID, fmt.Sprintf(format, args...))
	}
	title, err := archive.CleanTitle("title", l.Title, true, archive.MaxTitleLength)
	if err != nil {
		return fail("%v", err)
	}
	ds := &store.DumpSeries{Series: archive.Series{ID: l.ID, Title: title, Complete: l.Complete}}
	sr := &ds.Series
	if sr.Summary, err = render("summary", l.SummarySource, l.SummaryFormat, l.Summary, archive.MaxSummaryLength); err != nil {
		return fail("%v", err)
	}
	if sr.Notes, err = render("notes", l.NotesSource, l.NotesFormat, l.Notes, archive.MaxNotesLength); err != nil {
		return fail("%v", err)
	}
	if len(l.Creators) == 0 {
		return fail("creators: name at least one pseud")
	}
	for _, c := range l.Creators {
		sr.Creators = append(sr.Creators, archive.Creator{Pseud: strings.TrimSpace(c)})
	}
	for i, id := range l.Works {
		if id <= 0 {
			return fail("works[%d]: a work id is positive", i)
		}
		sr.Works = append(sr.Works, archive.SeriesEntry{WorkID: id, Position: i + 1})
		im.seriesPut[[2]int64{l.ID, id}] = i + 1
	}
	if sr.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail("%v", err)
	}
	if sr.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail("%v", err)
	}
	return ds, nil
}

func (im *importer) subscription(l subscriptionLine) (*store.DumpSubscription, error) {
	s := &store.DumpSubscription{User: strings.TrimSpace(l.User), Kind: l.Kind}
	if s.User == "" {
		return nil, errors.New("subscription: user: required")
	}
	raw := bytes.TrimSpace(l.Target)
	switch l.Kind {
	case "work", "series":
		if err := json.Unmarshal(raw, &s.Target); err != nil || s.Target <= 0 {
			return nil, fmt.Errorf("subscription: target: a %s subscription's target is the %s's id", l.Kind, l.Kind)
		}
	case "user":
		if err := json.Unmarshal(raw, &s.TargetUser); err != nil || strings.TrimSpace(s.TargetUser) == "" {
			return nil, errors.New("subscription: target: a user subscription's target is the creator's account name")
		}
		s.TargetUser = strings.TrimSpace(s.TargetUser)
	default:
		return nil, fmt.Errorf("subscription: kind: %q is not work, series or user", l.Kind)
	}
	var err error
	if s.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("subscription: %v", err)
	}
	return s, nil
}

func (im *importer) reading(l readingLine) (*store.DumpReading, error) {
	r := &store.DumpReading{User: strings.TrimSpace(l.User), WorkID: l.WorkID, Views: l.Views, MarkedForLater: l.MarkedForLater}
	if r.User == "" {
		return nil, errors.New("reading: user: required")
	}
	if r.WorkID <= 0 {
		return nil, errors.New("reading: work_id: the id of the work read")
	}
	if l.ChapterID != nil {
		if *l.ChapterID <= 0 {
			return nil, errors.New("reading: chapter_id: a positive id, or null")
		}
		r.ChapterID = *l.ChapterID
	}
	if r.Views < 0 {
		return nil, errors.New("reading: views can't be negative")
	}
	var err error
	if r.FirstReadAt, err = im.parseTime("first_read_at", l.FirstReadAt, true); err != nil {
		return nil, fmt.Errorf("reading: %v", err)
	}
	if r.LastReadAt, err = im.parseTime("last_read_at", l.LastReadAt, true); err != nil {
		return nil, fmt.Errorf("reading: %v", err)
	}
	if r.FirstReadAt.IsZero() || r.LastReadAt.IsZero() {
		return nil, errors.New("reading: first_read_at and last_read_at are required")
	}
	return r, nil
}

func (im *importer) hiddenWork(l hiddenWorkLine) (*store.DumpHiddenWork, error) {
	h := &store.DumpHiddenWork{User: strings.TrimSpace(l.User), WorkID: l.WorkID}
	if h.User == "" {
		return nil, errors.New("hidden_work: user: required")
	}
	if h.WorkID <= 0 {
		return nil, errors.New("hidden_work: work_id: the id of the work hidden")
	}
	var err error
	if h.CreatedAt, err = im.parseTime("created_at", l.CreatedAt, true); err != nil {
		return nil, fmt.Errorf("hidden_work: %v", err)
	}
	if h.CreatedAt.IsZero() {
		return nil, errors.New("hidden_work: created_at is required")
	}
	return h, nil
}

func (im *importer) redirect(l redirectLine) (*store.DumpRedirect, error) {
	r := &store.DumpRedirect{From: strings.TrimSpace(l.From), To: strings.TrimSpace(l.To)}
	if !strings.HasPrefix(r.From, "/") || !archive.IsLocalPath(r.To) {
		return nil, errors.New("redirect: from and to are paths on this site, starting with one /")
	}
	return r, nil
}

// checkWorkSeries checks that every series a work line names holds the
// work at that position, as the series lines put it.
func (im *importer) checkWorkSeries() error {
	for _, ref := range im.workSeries {
		pos, ok := im.seriesPut[[2]int64{ref.series, ref.work}]
		if !ok {
			return &LineError{ref.line, fmt.Errorf("work %d: series: no series line puts it in series %d", ref.work, ref.series)}
		}
		if ref.position != 0 && pos != ref.position {
			return &LineError{ref.line, fmt.Errorf("work %d: series: it is part %d of series %d, not %d", ref.work, pos, ref.series, ref.position)}
		}
	}
	return nil
}

type workSeriesCheck struct {
	line, position int
	work, series   int64
}
