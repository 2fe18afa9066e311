package site

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"quire/internal/archive"
)

// MaxBulkWorks is how many works one "edit several works" may change.
const MaxBulkWorks = 500

// WorksChange is one edit applied to several of a creator's works at once
// (AO3's "Edit multiple works"). Zero values leave a field as it is.
type WorksChange struct {
	WorkIDs           []int64
	Restricted        *bool
	CommentPermission string
	ModeratedComments *bool
	Language          string
	// AddTags and RemoveTags by type (fandom, relationship, character,
	// freeform, warning, category); names match ignoring case.
	AddTags    map[archive.TagType][]string
	RemoveTags map[archive.TagType][]string
}

func (c *WorksChange) empty() bool {
	n := 0
	for _, l := range c.AddTags {
		n += len(l)
	}
	for _, l := range c.RemoveTags {
		n += len(l)
	}
	return c.Restricted == nil && c.CommentPermission == "" && c.ModeratedComments == nil && strings.TrimSpace(c.Language) == "" && n == 0
}

// bulkTagTypes are the tag types a bulk edit may add or remove (a work has
// exactly one rating, which is changed on the work itself).
var bulkTagTypes = []archive.TagType{archive.TypeFandom, archive.TypeRelationship, archive.TypeCharacter, archive.TypeFreeform,
	archive.TypeWarning, archive.TypeCategory}

// EditWorks applies one change to several of u's works, validated each as
// an edit of that work, saved in one transaction (all or none), and the
// index updated at once.
func (s *Site) EditWorks(ctx context.Context, u *archive.User, ch WorksChange) ([]*archive.Work, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	if len(ch.WorkIDs) == 0 {
		return nil, archive.Invalid("work_ids", "choose at least one work")
	}
	if len(ch.WorkIDs) > MaxBulkWorks {
		return nil, archive.Invalid("work_ids", "at most %d works at once", MaxBulkWorks)
	}
	for _, m := range []map[archive.TagType][]string{ch.AddTags, ch.RemoveTags} {
		for t := range m {
			if !slices.Contains(bulkTagTypes, t) {
				return nil, archive.Invalid("tags", "%q is not a tag type that can be added or removed here (fandom, relationship, character, freeform, warning, category)", t)
			}
		}
	}
	if ch.empty() {
		return nil, archive.Invalid("works", "choose something to change")
	}
	var out []*archive.Work
	for _, id := range ch.WorkIDs {
		if slices.ContainsFunc(out, func(w *archive.Work) bool { return w.ID == id }) {
			continue
		}
		w, err := s.EditableWork(ctx, u, id)
		if err != nil {
			return nil, err
		}
		if !w.HasCreatorUser(u.ID) {
			return nil, fmt.Errorf("work %d belongs to someone else: %w", id, archive.ErrForbidden)
		}
		wasRated := w.Rating()
		in := archive.InputFromWork(w)
		if ch.Restricted != nil {
			in.Restricted = *ch.Restricted
		}
		if ch.CommentPermission != "" {
			in.CommentPermission = strings.TrimSpace(ch.CommentPermission)
		}
		if ch.ModeratedComments != nil {
			in.ModeratedComments = *ch.ModeratedComments
		}
		if l := strings.TrimSpace(ch.Language); l != "" {
			in.Language = l
		}
		for _, t := range bulkTagTypes {
			list := tagList(&in, t)
			for _, rm := range ch.RemoveTags[t] {
				key := archive.TagKey(rm)
				*list = slices.DeleteFunc(slices.Clone(*list), func(n string) bool { return archive.TagKey(n) == key })
			}
			for _, add := range ch.AddTags[t] {
				add = strings.TrimSpace(add)
				key := archive.TagKey(add)
				if add != "" && !slices.ContainsFunc(*list, func(n string) bool { return archive.TagKey(n) == key }) {
					*list = append(slices.Clone(*list), add)
				}
			}
		}
		if err := archive.ApplyWorkInput(w, in, s.Now()); err != nil {
			var ve *archive.ValidationError
			if errors.As(err, &ve) {
				return nil, archive.Invalid(ve.Field, "%s (on “%s”)", ve.Message, w.Title)
			}
			return nil, err
		}
		if w.Rating() != wasRated {
			if err := s.checkRating(ctx, w); err != nil {
				return nil, err
			}
		}
		out = append(out, w)
	}
	if err := s.store.UpdateWorks(ctx, out); err != nil {
		return nil, fmt.Errorf("edit works: %w", err)
	}
	var saved []*archive.Work
	for _, w := range out {
		if err := s.afterTagWrite(ctx, w.ID); err != nil {
			return nil, err
		}
		fresh, err := s.store.Work(ctx, w.ID)
		if err != nil {
			return nil, err
		}
		saved = append(saved, fresh)
	}
	return saved, nil
}

func tagList(in *archive.WorkInput, t archive.TagType) *[]string {
	switch t {
	case archive.TypeFandom:
		return &in.Fandoms
	case archive.TypeRelationship:
		return &in.Relationships
	case archive.TypeCharacter:
		return &in.Characters
	case archive.TypeWarning:
		return &in.Warnings
	case archive.TypeCategory:
		return &in.Categories
	}
	return &in.Freeforms
}
