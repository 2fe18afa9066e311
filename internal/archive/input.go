package archive

import "time"

// WorkInput is what a creator submits to post or edit a work: the form, the
// API, the importers and the demo generator all produce one, and all go
// through the same validation (PrepareWork).
type WorkInput struct {
	Title          string
	Summary        string
	SummaryFormat  Format
	Notes          string
	NotesFormat    Format
	EndNotes       string
	EndNotesFormat Format

	Rating        string
	Warnings      []string
	Categories    []string
	Fandoms       []string
	Relationships []string
	Characters    []string
	Freeforms     []string

	Language          string
	ChaptersExpected  int // 0 = unknown
	Restricted        bool
	Draft             bool
	PostedAt          time.Time // zero = now; never in the future
	CommentPermission string    // "" = registered
	ModeratedComments bool
	// Pseuds names the creator's pseuds for the byline; empty = default pseud.
	Pseuds []string
	// Collections and Gifts name the work's collections and recipients;
	// nil leaves them as they are.
	Collections *[]string
	Gifts       *[]string
	// Related names the works this one is inspired by, translates or
	// remixes; nil leaves them as they are.
	Related *[]RelatedInput
	// Claims names the prompt-meme claims the work fills (the creator's
	// own, in the work's collections); nil leaves them as they are.
	Claims *[]int64
	// CoCreators names other accounts' pseuds to invite as co-creators
	// (they join the byline when they accept). Pseuds may name such pseuds
	// too (the API's "creators"); CoCreators may name only others'.
	CoCreators []string
	// PublishAt schedules the first publication of a new work (zero: none).
	PublishAt time.Time

	Chapters []ChapterInput
}

// ChapterInput is one chapter as submitted.
type ChapterInput struct {
	Title          string
	Summary        string
	SummaryFormat  Format
	Notes          string
	NotesFormat    Format
	EndNotes       string
	EndNotesFormat Format
	Body           string
	Format         Format
	Draft          bool
	// PublishAt schedules a draft chapter (zero: none); it must be in the
	// future, at most MaxScheduleAhead away (the caller checks with
	// ParseSchedule).
	PublishAt time.Time
	// Creators names the chapter's byline (pseud names): the editor's own
	// pseuds and the work's creators are credited at once, other accounts'
	// pseuds are invited. nil leaves the byline as it is; an empty list
	// gives the chapter back its work's creators.
	Creators *[]string
}

// TagsByType returns the input's tag lists keyed by type.
func (in *WorkInput) TagsByType() map[TagType][]string {
	m := map[TagType][]string{
		TypeWarning:      in.Warnings,
		TypeCategory:     in.Categories,
		TypeFandom:       in.Fandoms,
		TypeRelationship: in.Relationships,
		TypeCharacter:    in.Characters,
		TypeFreeform:     in.Freeforms,
	}
	if in.Rating != "" {
		m[TypeRating] = []string{in.Rating}
	}
	return m
}

// InputFromWork is the stored work as an edit form would show it: the
// sources and formats of rich fields and the tag names as entered. Posted
// time stays zero, which EditWork reads as "keep it".
func InputFromWork(w *Work) WorkInput {
	return WorkInput{
		Title:             w.Title,
		Summary:           w.Summary.Source,
		SummaryFormat:     w.Summary.Format,
		Notes:             w.Notes.Source,
		NotesFormat:       w.Notes.Format,
		EndNotes:          w.EndNotes.Source,
		EndNotesFormat:    w.EndNotes.Format,
		Rating:            w.Rating(),
		Warnings:          w.Tags[TypeWarning],
		Categories:        w.Tags[TypeCategory],
		Fandoms:           w.Tags[TypeFandom],
		Relationships:     w.Tags[TypeRelationship],
		Characters:        w.Tags[TypeCharacter],
		Freeforms:         w.Tags[TypeFreeform],
		Language:          w.Language,
		ChaptersExpected:  w.ChaptersExpected,
		Restricted:        w.Restricted,
		Draft:             w.Draft,
		CommentPermission: w.CommentPermission,
		ModeratedComments: w.ModeratedComments,
		PublishAt:         w.PublishAt,
	}
}
