// Package dump is the archive's logical dump: `quire export --format jsonl`
// writes it and `quire import --format jsonl` reads it back (SPEC "Export
// format"). One JSON object per line, each with a "type":
//
//	{"type":"tag","name","tag_type","canonical","synonym_of","meta":[…],"parent_fandoms":[…]}
//	{"type":"user","name","email","roles":[…],"pseuds":[{"name","default","created_at"}…],"created_at",
//	 "preferences":{…},"muted_tags":[],"muted_users":[],"blocked_users":[]
//	 (with --with-secrets also "password_hash" and "api_tokens":[{"hash","name","created_at"}…])}
//	{"type":"work","id","title","creators":[pseud names],
//	 "summary","summary_source","summary_format","notes","notes_source","notes_format",
//	 "end_notes","end_notes_source","end_notes_format",
//	 "rating","warnings","categories","fandoms","relationships","characters","freeforms",
//	 "language","series":[],"words","chapters_posted","chapters_expected" (null = unknown),"complete",
//	 "restricted","comment_permissions","moderated_comments",
//	 "posted_at","updated_at","edited_at","created_at","hits","kudos","comments","bookmarks","url",
//	 "draft","hidden","chapters":[{"id","position","title","summary","summary_source","summary_format",
//	 "notes","notes_source","notes_format","end_notes","end_notes_source","end_notes_format",
//	 "body","source","format","words","draft","posted_at","updated_at"}…]}
//
// Every rich field is written as the sanitized HTML pages show (as in the
// API: "summary", "body"), beside the source the creator wrote and its
// format ("summary_source"/"summary_format"; a chapter body's are "source"
// and "format", as SPEC names them). An import re-renders from the source,
// so the HTML is for readers of the file. Tag fields hold the names exactly
// as the creator entered them. Timestamps are RFC 3339 in UTC. Lines come in
// a stable order: tags (each after the tags its wrangling names, otherwise
// by id), users by id, works by id; a work's chapters by position. The same
// archive gives the same bytes. No line ever holds an IP address; password
// hashes and API token hashes only with --with-secrets. Records the archive
// does not have yet (series, comments, kudos, bookmarks, subscriptions,
// history, redirects) are absent.
package dump

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

type tagLine struct {
	Type          string   `json:"type"`
	Name          string   `json:"name"`
	TagType       string   `json:"tag_type"`
	Canonical     bool     `json:"canonical"`
	SynonymOf     *string  `json:"synonym_of"`
	Meta          []string `json:"meta"`
	ParentFandoms []string `json:"parent_fandoms"`
}

type pseudLine struct {
	Name      string `json:"name"`
	Default   bool   `json:"default"`
	CreatedAt string `json:"created_at"`
}

type tokenLine struct {
	Hash      string `json:"hash"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

type userLine struct {
	Type         string              `json:"type"`
	Name         string              `json:"name"`
	Email        string              `json:"email"`
	Roles        []string            `json:"roles"`
	Pseuds       []pseudLine         `json:"pseuds"`
	CreatedAt    string              `json:"created_at"`
	Preferences  archive.Preferences `json:"preferences"`
	MutedTags    []string            `json:"muted_tags"`
	MutedUsers   []string            `json:"muted_users"`
	BlockedUsers []string            `json:"blocked_users"`
	PasswordHash *string             `json:"password_hash,omitempty"`
	APITokens    *[]tokenLine        `json:"api_tokens,omitempty"`
}

type chapterLine struct {
	ID             int64  `json:"id"`
	Position       int    `json:"position"`
	Title          string `json:"title"`
	Summary        string `json:"summary"`
	SummarySource  string `json:"summary_source"`
	SummaryFormat  string `json:"summary_format"`
	Notes          string `json:"notes"`
	NotesSource    string `json:"notes_source"`
	NotesFormat    string `json:"notes_format"`
	EndNotes       string `json:"end_notes"`
	EndNotesSource string `json:"end_notes_source"`
	EndNotesFormat string `json:"end_notes_format"`
	Body           string `json:"body"`
	Source         string `json:"source"`
	Format         string `json:"format"`
	Words          int    `json:"words"`
	Draft          bool   `json:"draft"`
	PostedAt       string `json:"posted_at"`
	UpdatedAt      string `json:"updated_at"`
}

type workLine struct {
	Type               string        `json:"type"`
	ID                 int64         `json:"id"`
	Title              string        `json:"title"`
	Creators           []string      `json:"creators"`
	Summary            string        `json:"summary"`
	SummarySource      string        `json:"summary_source"`
	SummaryFormat      string        `json:"summary_format"`
	Notes              string        `json:"notes"`
	NotesSource        string        `json:"notes_source"`
	NotesFormat        string        `json:"notes_format"`
	EndNotes           string        `json:"end_notes"`
	EndNotesSource     string        `json:"end_notes_source"`
	EndNotesFormat     string        `json:"end_notes_format"`
	Rating             string        `json:"rating"`
	Warnings           []string      `json:"warnings"`
	Categories         []string      `json:"categories"`
	Fandoms            []string      `json:"fandoms"`
	Relationships      []string      `json:"relationships"`
	Characters         []string      `json:"characters"`
	Freeforms          []string      `json:"freeforms"`
	Language           string        `json:"language"`
	Series             []any         `json:"series"`
	Words              int           `json:"words"`
	ChaptersPosted     int           `json:"chapters_posted"`
	ChaptersExpected   *int          `json:"chapters_expected"`
	Complete           bool          `json:"complete"`
	Restricted         bool          `json:"restricted"`
	CommentPermissions string        `json:"comment_permissions"`
	ModeratedComments  bool          `json:"moderated_comments"`
	PostedAt           string        `json:"posted_at"`
	UpdatedAt          string        `json:"updated_at"`
	EditedAt           string        `json:"edited_at"`
	CreatedAt          string        `json:"created_at"`
	Hits               int64         `json:"hits"`
	Kudos              int64         `json:"kudos"`
	Comments           int64         `json:"comments"`
	Bookmarks          int64         `json:"bookmarks"`
	URL                string        `json:"url"`
	Draft              bool          `json:"draft"`
	Hidden             bool          `json:"hidden"`
	Chapters           []chapterLine `json:"chapters"`
}

// ExportOptions tunes an export.
type ExportOptions struct {
	// WithSecrets adds password hashes and API token hashes.
	WithSecrets bool
	// BaseURL prefixes each work's "url" (empty: the path alone, /works/ID).
	BaseURL string
	// Progress, when set, gets a running count ("\rexport: 1200 works").
	Progress io.Writer
}

// Stats counts what an export wrote or an import read.
type Stats struct {
	Tags, Users, Works int
}

func (s Stats) String() string {
	return fmt.Sprintf("%d users, %d tags, %d works", s.Users, s.Tags, s.Works)
}

// Export writes the whole archive to w, one JSON object per line.
func Export(ctx context.Context, st store.Dumps, w io.Writer, opts ExportOptions) (Stats, error) {
	var stats Stats
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(buf.Bytes())
		return err
	}
	start := time.Now()
	err := st.ExportDump(ctx, opts.WithSecrets, func(r store.DumpRecord) error {
		switch {
		case r.Tag != nil:
			stats.Tags++
			return put(tagToLine(r.Tag))
		case r.User != nil:
			stats.Users++
			return put(userToLine(r.User, opts.WithSecrets))
		case r.Work != nil:
			stats.Works++
			if opts.Progress != nil && stats.Works%500 == 0 {
				fmt.Fprintf(opts.Progress, "\rexport: %d works %.1fs", stats.Works, time.Since(start).Seconds())
			}
			return put(workToLine(r.Work, opts.BaseURL))
		}
		return nil
	})
	if err != nil {
		return stats, err
	}
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "\rexport: %d works %.1fs\n", stats.Works, time.Since(start).Seconds())
	}
	return stats, bw.Flush()
}

// ts formats a time as RFC 3339 in UTC.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func format(f archive.Format) string {
	if f == "" {
		return string(archive.FormatHTML)
	}
	return string(f)
}

func tagToLine(t *store.TagSpec) tagLine {
	l := tagLine{Type: "tag", Name: t.Name, TagType: string(t.Type), Canonical: t.Canonical, Meta: strs(t.Meta), ParentFandoms: strs(t.Parents)}
	if t.SynonymOf != "" {
		s := t.SynonymOf
		l.SynonymOf = &s
	}
	return l
}

func userToLine(u *store.DumpUser, secrets bool) userLine {
	l := userLine{Type: "user", Name: u.User.Name, Email: u.User.Email, Roles: strs(u.User.Roles), Pseuds: []pseudLine{},
		CreatedAt: ts(u.User.CreatedAt), Preferences: u.User.Preferences, MutedTags: []string{}, MutedUsers: []string{}, BlockedUsers: []string{}}
	for _, p := range u.Pseuds {
		l.Pseuds = append(l.Pseuds, pseudLine{Name: p.Name, Default: p.Default, CreatedAt: ts(p.CreatedAt)})
	}
	if secrets {
		h := u.User.PasswordHash
		l.PasswordHash = &h
		toks := []tokenLine{}
		for _, t := range u.Tokens {
			toks = append(toks, tokenLine{Hash: t.Hash, Name: t.Name, CreatedAt: ts(t.CreatedAt)})
		}
		l.APITokens = &toks
	}
	return l
}

func workToLine(dw *store.DumpWork, baseURL string) workLine {
	w := dw.Work
	l := workLine{
		Type: "work", ID: w.ID, Title: w.Title, Creators: []string{},
		Summary: w.Summary.HTML, SummarySource: w.Summary.Source, SummaryFormat: format(w.Summary.Format),
		Notes: w.Notes.HTML, NotesSource: w.Notes.Source, NotesFormat: format(w.Notes.Format),
		EndNotes: w.EndNotes.HTML, EndNotesSource: w.EndNotes.Source, EndNotesFormat: format(w.EndNotes.Format),
		Rating:        w.Rating(),
		Warnings:      strs(w.Tags[archive.TypeWarning]),
		Categories:    strs(w.Tags[archive.TypeCategory]),
		Fandoms:       strs(w.Tags[archive.TypeFandom]),
		Relationships: strs(w.Tags[archive.TypeRelationship]),
		Characters:    strs(w.Tags[archive.TypeCharacter]),
		Freeforms:     strs(w.Tags[archive.TypeFreeform]),
		Language:      w.Language, Series: []any{},
		Words: w.Words, ChaptersPosted: w.ChaptersPosted, Complete: w.Complete(),
		Restricted: w.Restricted, CommentPermissions: w.CommentPermission, ModeratedComments: w.ModeratedComments,
		PostedAt: ts(w.PostedAt), UpdatedAt: ts(w.UpdatedAt), EditedAt: ts(w.EditedAt), CreatedAt: ts(w.CreatedAt),
		Hits: w.Hits, Kudos: w.Kudos, Comments: w.Comments, Bookmarks: w.Bookmarks,
		URL:   strings.TrimRight(baseURL, "/") + "/works/" + strconv.FormatInt(w.ID, 10),
		Draft: w.Draft, Hidden: w.Hidden, Chapters: []chapterLine{},
	}
	for _, c := range w.Creators {
		l.Creators = append(l.Creators, c.Pseud)
	}
	if w.ChaptersExpected > 0 {
		n := w.ChaptersExpected
		l.ChaptersExpected = &n
	}
	for _, c := range dw.Chapters {
		l.Chapters = append(l.Chapters, chapterLine{
			ID: c.ID, Position: c.Position, Title: c.Title,
			Summary: c.Summary.HTML, SummarySource: c.Summary.Source, SummaryFormat: format(c.Summary.Format),
			Notes: c.Notes.HTML, NotesSource: c.Notes.Source, NotesFormat: format(c.Notes.Format),
			EndNotes: c.EndNotes.HTML, EndNotesSource: c.EndNotes.Source, EndNotesFormat: format(c.EndNotes.Format),
			Body: c.Body.HTML, Source: c.Body.Source, Format: format(c.Body.Format),
			Words: c.Words, Draft: c.Draft, PostedAt: ts(c.PostedAt), UpdatedAt: ts(c.UpdatedAt),
		})
	}
	return l
}
