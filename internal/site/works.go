package site

import (
	"context"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// Work loads a work the user may see, or archive.ErrNotFound. The work may
// be shared with other readers (it comes from the cache): callers must not
// change it; EditableWork gives a copy of one's own.
func (s *Site) Work(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	ws, err := s.worksByIDs(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 || !CanView(u, ws[0]) || !s.canSeeWorkPage(ctx, u, ws[0]) {
		return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	return s.withReaderCounts(ctx, u, ws)[0], nil
}

// MembersOnly reports whether a guest was refused work id only because it
// is restricted: any logged-in reader would see it. (AO3 says so too,
// rather than a bare "not found".)
func (s *Site) MembersOnly(ctx context.Context, id int64) bool {
	ws, err := s.worksByIDs(ctx, []int64{id})
	if err != nil || len(ws) == 0 {
		return false
	}
	return ws[0].Restricted && CanView(&archive.User{}, ws[0])
}

// EditableWork loads a work the user may change, read afresh from the store
// so the caller may change it: ErrNotFound when they may not see it,
// ErrForbidden when they may see it but not change it.
func (s *Site) EditableWork(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanView(u, w) {
		return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	if u == nil {
		return nil, archive.ErrAuth
	}
	if !CanEdit(u, w) {
		return nil, fmt.Errorf("work %d belongs to someone else: %w", id, archive.ErrForbidden)
	}
	return w, nil
}

// Chapters lists the chapters u may see (draft chapters only for editors).
// Without bodies they may be shared with other readers: callers must not
// change them.
func (s *Site) Chapters(ctx context.Context, u *archive.User, w *archive.Work, bodies bool) ([]*archive.Chapter, error) {
	var all []*archive.Chapter
	var err error
	if bodies {
		all, err = s.chaptersWithBodies(ctx, w.ID)
	} else {
		all, err = s.chapterList(ctx, w.ID)
	}
	if err != nil {
		return nil, err
	}
	editor := CanEdit(u, w)
	out := make([]*archive.Chapter, 0, len(all))
	for _, c := range all {
		if editor || !c.Draft {
			out = append(out, c)
		}
	}
	return out, nil
}

// Chapter loads one chapter of w with its body, as u may see it: a draft
// chapter only for the work's editors, else archive.ErrNotFound. w must come
// from Work or EditableWork.
func (s *Site) Chapter(ctx context.Context, u *archive.User, w *archive.Work, id int64) (*archive.Chapter, error) {
	c, err := s.chapter(ctx, w.ID, id)
	if err != nil {
		return nil, err
	}
	if c.Draft && !CanEdit(u, w) {
		return nil, fmt.Errorf("chapter %d: %w", id, archive.ErrNotFound)
	}
	return c, nil
}

// Drafts lists u's draft works (newest first).
func (s *Site) Drafts(ctx context.Context, u *archive.User) ([]*archive.Work, error) {
	ws, err := s.OwnWorks(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []*archive.Work
	for _, w := range ws {
		if w.Draft {
			out = append(out, w)
		}
	}
	return out, nil
}

// bylinePseuds resolves the pseud names a creator chose (default pseud when none).
func (s *Site) bylinePseuds(ctx context.Context, u *archive.User, names []string) ([]int64, error) {
	ps, err := s.store.Pseuds(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		for _, p := range ps {
			if p.IsDefault {
				return []int64{p.ID}, nil
			}
		}
		if len(ps) > 0 {
			return []int64{ps[0].ID}, nil
		}
		return nil, fmt.Errorf("user %s has no pseud", u.Name)
	}
	var ids []int64
	for _, n := range names {
		found := false
		for _, p := range ps {
			if strings.EqualFold(p.Name, strings.TrimSpace(n)) {
				ids = append(ids, p.ID)
				found = true
				break
			}
		}
		if !found {
			return nil, archive.Invalid("pseuds", "%q is not one of your pseuds", n)
		}
	}
	return ids, nil
}

// PostWork validates and stores a new work by u (a draft or posted).
func (s *Site) PostWork(ctx context.Context, u *archive.User, in archive.WorkInput) (*archive.Work, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.checkSchedule(time.Time{}, in.PublishAt); err != nil {
		return nil, err
	}
	w, chapters, err := archive.PrepareWork(in, s.Now())
	if err != nil {
		return nil, err
	}
	own, others, err := s.creatorsOf(ctx, u, in)
	if err != nil {
		return nil, err
	}
	pseuds, err := s.bylinePseuds(ctx, u, own)
	if err != nil {
		return nil, err
	}
	extras, err := s.planExtras(ctx, u, &archive.Work{Creators: []archive.Creator{{UserID: u.ID}}}, nil, in)
	if err != nil {
		return nil, err
	}
	nw := store.NewWork{Work: w, Chapters: chapters, PseudIDs: pseuds}
	if err := s.checkNewWork(ctx, u, &nw); err != nil {
		return nil, err
	}
	if err := s.store.CreateWorks(ctx, []store.NewWork{nw}); err != nil {
		return nil, fmt.Errorf("post work: %w", err)
	}
	if err := s.applyExtras(ctx, w.ID, extras); err != nil {
		return nil, err
	}
	if err := s.afterTagWrite(ctx, w.ID); err != nil {
		return nil, err
	}
	if err := s.schedule(ctx, w.ID, 0, w.PublishAt); err != nil {
		return nil, err
	}
	s.notifyNewWork(ctx, w.ID)
	posted, err := s.store.Work(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	s.notifyPosted(ctx, posted)
	if err := s.invite(ctx, u, posted, others); err != nil {
		return nil, err
	}
	return posted, nil
}

// workExtras are a work's collections and gifts as the form or the API
// set them, checked before anything is written.
type workExtras struct {
	collections *collectionPlan
	gifts       []archive.Gift
	setGifts    bool
	related     []archive.RelatedWork
	setRelated  bool
	claims      *claimPlan
}

func (s *Site) planExtras(ctx context.Context, u *archive.User, w *archive.Work, cur []archive.CollectionItem, in archive.WorkInput) (*workExtras, error) {
	x := &workExtras{}
	if in.Collections != nil {
		plan, err := s.planCollections(ctx, u, w, cur, *in.Collections)
		if err != nil {
			return nil, err
		}
		x.collections = plan
	}
	if in.Gifts != nil {
		gifts, err := s.resolveGifts(ctx, *in.Gifts)
		if err != nil {
			return nil, err
		}
		for _, g := range gifts {
			if g.UserID != 0 && w.HasCreatorUser(g.UserID) {
				return nil, archive.Invalid("gifts", "you can't give a work to yourself")
			}
		}
		x.gifts, x.setGifts = gifts, true
	}
	if in.Related != nil {
		related, err := s.planRelated(ctx, u, w, *in.Related)
		if err != nil {
			return nil, err
		}
		x.related, x.setRelated = related, true
	}
	if in.Claims != nil {
		claims, err := s.planClaims(ctx, w, cur, x.collections, *in.Claims)
		if err != nil {
			return nil, err
		}
		x.claims = claims
	}
	return x, nil
}

func (s *Site) applyExtras(ctx context.Context, workID int64, x *workExtras) error {
	if x.collections != nil {
		if err := s.applyCollections(ctx, workID, x.collections); err != nil {
			return err
		}
	}
	if x.setGifts {
		if err := s.store.SetWorkGifts(ctx, workID, x.gifts); err != nil {
			return err
		}
	}
	if x.setRelated {
		if err := s.store.SetRelatedWorks(ctx, workID, x.related); err != nil {
			return err
		}
	}
	if x.claims != nil {
		if err := s.applyClaims(ctx, workID, x.claims); err != nil {
			return err
		}
	}
	return nil
}

// afterTagWrite reindexes a work whose tags may be new to the vocabulary.
func (s *Site) afterTagWrite(ctx context.Context, id int64) error {
	if s.graphMissesTags(ctx, id) {
		if err := s.RefreshGraph(ctx); err != nil {
			return err
		}
	}
	return s.reindex(ctx, id)
}

func (s *Site) graphMissesTags(ctx context.Context, id int64) bool {
	row, err := s.store.IndexRow(ctx, id)
	if err != nil {
		return true
	}
	g := s.Index.Graph()
	for _, t := range row.TagIDs {
		if g.Node(t) == nil {
			return true
		}
	}
	return false
}

// EditWork applies new metadata to a work u may change. Chapters in the
// input are ignored; they have their own operations.
func (s *Site) EditWork(ctx context.Context, u *archive.User, id int64, in archive.WorkInput) (*archive.Work, error) {
	w, err := s.EditableWork(ctx, u, id)
	if err != nil {
		return nil, err
	}
	wasDraft, wasRated, wasScheduled := w.Draft, w.Rating(), w.PublishAt
	if in.Draft && !wasDraft {
		return nil, archive.Invalid("draft", "a posted work can't become a draft again; restrict or delete it instead")
	}
	if !in.PublishAt.IsZero() && !wasDraft {
		return nil, archive.Invalid("publish_at", "this work is already posted; only a draft can be scheduled")
	}
	if wasDraft && !in.Draft && in.PublishAt.Equal(wasScheduled) {
		in.PublishAt = time.Time{} // posted now: the schedule is void
	}
	if err := s.checkSchedule(wasScheduled, in.PublishAt); err != nil {
		return nil, err
	}
	if !in.PublishAt.IsZero() && !in.PublishAt.Equal(wasScheduled) {
		if err := s.checkPostable(ctx, id); err != nil {
			return nil, err
		}
	}
	if err := archive.ApplyWorkInput(w, in, s.Now()); err != nil {
		return nil, err
	}
	if w.Rating() != wasRated || wasDraft && !w.Draft {
		if err := s.checkRating(ctx, w); err != nil {
			return nil, err
		}
	}
	own, others, err := s.creatorsOf(ctx, u, in)
	if err != nil {
		return nil, err
	}
	var byline []int64 // the new byline when in.Pseuds changes it
	if len(own) > 0 {
		if byline, err = s.rebyline(ctx, u, w, own); err != nil {
			return nil, err
		}
	}
	var cur []archive.CollectionItem
	if in.Collections != nil {
		if cur, err = s.store.WorkCollections(ctx, w.ID); err != nil {
			return nil, err
		}
	}
	extras, err := s.planExtras(ctx, u, w, cur, in)
	if err != nil {
		return nil, err
	}
	oldGifts := map[int64]bool{}
	for _, g := range w.Gifts {
		oldGifts[g.UserID] = true
	}
	if len(others) > 0 && !w.HasCreatorUser(u.ID) {
		return nil, archive.Invalid("creators", "only the work's creators can invite co-creators")
	}
	if wasDraft && !w.Draft {
		if err := s.checkPostable(ctx, w.ID); err != nil {
			return nil, err
		}
		if in.PostedAt.IsZero() {
			w.PostedAt = s.Now().Truncate(1e9)
		}
	}
	if err := s.store.UpdateWork(ctx, w); err != nil {
		return nil, fmt.Errorf("edit work: %w", err)
	}
	if byline != nil {
		if err := s.store.SetWorkCreators(ctx, w.ID, byline); err != nil {
			return nil, fmt.Errorf("edit work byline: %w", err)
		}
	}
	if err := s.applyExtras(ctx, w.ID, extras); err != nil {
		return nil, err
	}
	if wasDraft && !w.Draft {
		if err := s.postDraftChapterDates(ctx, w); err != nil {
			return nil, err
		}
		defer s.notifyNewWork(ctx, id)
	}
	if !w.PublishAt.Equal(wasScheduled) {
		if err := s.schedule(ctx, id, 0, w.PublishAt); err != nil {
			return nil, err
		}
	}
	if err := s.afterTagWrite(ctx, id); err != nil {
		return nil, err
	}
	edited, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	s.fulfilAssignments(ctx, edited)
	if wasDraft && !w.Draft {
		s.notifyPosted(ctx, edited)
	} else {
		if extras.setRelated {
			s.notifyRelated(ctx, edited)
		}
		if extras.claims != nil {
			s.notifyFills(ctx, edited)
		}
	}
	if !(wasDraft && !w.Draft) && extras.setGifts {
		var fresh []int64
		for _, g := range edited.Gifts {
			if g.UserID != 0 && !oldGifts[g.UserID] {
				fresh = append(fresh, g.UserID)
			}
		}
		if len(fresh) > 0 {
			s.notifyGifts(ctx, edited, fresh)
		}
	}
	if err := s.invite(ctx, u, edited, others); err != nil {
		return nil, err
	}
	return edited, nil
}

// checkPostable refuses to post a work with no posted chapter.
func (s *Site) checkPostable(ctx context.Context, id int64) error {
	cs, err := s.store.Chapters(ctx, id, false)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if !c.Draft {
			return nil
		}
	}
	return archive.Invalid("chapters", "a posted work needs at least one chapter that is not a draft")
}

// postDraftChapterDates dates a draft's chapters at its publication.
func (s *Site) postDraftChapterDates(ctx context.Context, w *archive.Work) error {
	cs, err := s.store.Chapters(ctx, w.ID, true)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if !c.Draft && c.PostedAt.Before(w.PostedAt) {
			c.PostedAt = w.PostedAt
			if err := s.store.UpdateChapter(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// PostDraft publishes a draft work.
func (s *Site) PostDraft(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	w, err := s.EditableWork(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !w.Draft {
		return w, nil
	}
	if err := s.checkPostable(ctx, id); err != nil {
		return nil, err
	}
	if err := s.checkRating(ctx, w); err != nil {
		return nil, err
	}
	w.Draft = false
	w.PublishAt = time.Time{} // posted now: the schedule is void
	w.PostedAt = s.Now().Truncate(1e9)
	w.Tags = nil // keep the taggings as they are
	if err := s.store.UpdateWork(ctx, w); err != nil {
		return nil, err
	}
	if err := s.postDraftChapterDates(ctx, w); err != nil {
		return nil, err
	}
	if err := s.reindex(ctx, id); err != nil {
		return nil, err
	}
	s.notifyNewWork(ctx, id)
	return s.store.Work(ctx, id)
}

// DeleteWork removes a work u may change.
func (s *Site) DeleteWork(ctx context.Context, u *archive.User, id int64) error {
	if _, err := s.EditableWork(ctx, u, id); err != nil {
		return err
	}
	if err := s.store.DeleteWork(ctx, id); err != nil {
		return err
	}
	s.unindex(id)
	s.forget(id)
	return nil
}

// AddChapter adds a chapter (at position, or at the end when 0).
func (s *Site) AddChapter(ctx context.Context, u *archive.User, workID int64, position int, in archive.ChapterInput) (*archive.Chapter, error) {
	w, err := s.EditableWork(ctx, u, workID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.Chapters(ctx, workID, false)
	if err != nil {
		return nil, err
	}
	if len(cs) >= archive.MaxChapters {
		return nil, archive.Invalid("chapters", "a work may have at most %d chapters", archive.MaxChapters)
	}
	if err := s.checkWriter(ctx, u); err != nil {
		return nil, err
	}
	if err := s.checkSchedule(time.Time{}, in.PublishAt); err != nil {
		return nil, err
	}
	var cc *chapterCreators
	if in.Creators != nil {
		if cc, err = s.chapterCreatorsOf(ctx, u, w, *in.Creators); err != nil {
			return nil, err
		}
	}
	c, err := archive.PrepareChapter(in)
	if err != nil {
		return nil, err
	}
	c.WorkID = w.ID
	c.Position = position
	c.PostedAt = s.Now().Truncate(1e9)
	if w.Draft {
		c.PostedAt = w.PostedAt
	}
	if err := s.store.CreateChapter(ctx, c); err != nil {
		return nil, err
	}
	if cc != nil {
		if err := s.applyChapterCreators(ctx, u, w, c, cc); err != nil {
			return nil, err
		}
		if c, err = s.store.Chapter(ctx, workID, c.ID); err != nil {
			return nil, err
		}
	}
	if err := s.reindex(ctx, workID); err != nil {
		return nil, err
	}
	if err := s.schedule(ctx, workID, c.ID, c.PublishAt); err != nil {
		return nil, err
	}
	s.notifyNewChapter(ctx, workID, c.ID)
	return c, nil
}

// EditChapter replaces a chapter's content.
func (s *Site) EditChapter(ctx context.Context, u *archive.User, workID, chapterID int64, in archive.ChapterInput) (*archive.Chapter, error) {
	w, err := s.EditableWork(ctx, u, workID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Chapter(ctx, workID, chapterID)
	if err != nil {
		return nil, err
	}
	wasDraft, wasScheduled := c.Draft, c.PublishAt
	if !in.PublishAt.IsZero() && !wasDraft {
		return nil, archive.Invalid("publish_at", "this chapter is already posted; only a draft can be scheduled")
	}
	if wasDraft && !in.Draft && in.PublishAt.Equal(wasScheduled) {
		in.PublishAt = time.Time{} // posted now: the schedule is void
	}
	if err := s.checkSchedule(wasScheduled, in.PublishAt); err != nil {
		return nil, err
	}
	var cc *chapterCreators
	if in.Creators != nil {
		if cc, err = s.chapterCreatorsOf(ctx, u, w, *in.Creators); err != nil {
			return nil, err
		}
	}
	if err := archive.ApplyChapterInput(c, in); err != nil {
		return nil, err
	}
	if wasDraft && !c.Draft && !w.Draft {
		c.PostedAt = s.Now().Truncate(1e9)
	}
	if !wasDraft && c.Draft && !w.Draft {
		if err := s.keepOnePosted(ctx, workID, chapterID); err != nil {
			return nil, err
		}
	}
	if err := s.store.UpdateChapter(ctx, c); err != nil {
		return nil, err
	}
	if cc != nil {
		if err := s.applyChapterCreators(ctx, u, w, c, cc); err != nil {
			return nil, err
		}
		if c, err = s.store.Chapter(ctx, workID, chapterID); err != nil {
			return nil, err
		}
	}
	if err := s.reindex(ctx, workID); err != nil {
		return nil, err
	}
	if !c.PublishAt.Equal(wasScheduled) {
		if err := s.schedule(ctx, workID, chapterID, c.PublishAt); err != nil {
			return nil, err
		}
	}
	if wasDraft && !c.Draft {
		s.notifyNewChapter(ctx, workID, chapterID)
	}
	return c, nil
}

// keepOnePosted refuses to leave a posted work without a posted chapter.
func (s *Site) keepOnePosted(ctx context.Context, workID, losing int64) error {
	cs, err := s.store.Chapters(ctx, workID, false)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID != losing && !c.Draft {
			return nil
		}
	}
	return archive.Invalid("chapters", "a posted work must keep at least one posted chapter; delete the work or make it a draft instead")
}

// DeleteChapter removes a chapter; a posted work keeps at least one posted chapter.
func (s *Site) DeleteChapter(ctx context.Context, u *archive.User, workID, chapterID int64) error {
	w, err := s.EditableWork(ctx, u, workID)
	if err != nil {
		return err
	}
	if _, err := s.store.Chapter(ctx, workID, chapterID); err != nil {
		return err
	}
	if !w.Draft {
		if err := s.keepOnePosted(ctx, workID, chapterID); err != nil {
			return err
		}
	}
	if err := s.store.DeleteChapter(ctx, workID, chapterID); err != nil {
		return err
	}
	return s.reindex(ctx, workID)
}

// ReorderChapters sets the chapter order.
func (s *Site) ReorderChapters(ctx context.Context, u *archive.User, workID int64, ids []int64) error {
	if _, err := s.EditableWork(ctx, u, workID); err != nil {
		return err
	}
	if err := s.store.ReorderChapters(ctx, workID, ids); err != nil {
		return err
	}
	return s.reindex(ctx, workID)
}

// ChapterByPosition finds the chapter at a 1-based position among those u may see.
func (s *Site) ChapterByPosition(ctx context.Context, u *archive.User, w *archive.Work, pos int) (*archive.Chapter, error) {
	cs, err := s.Chapters(ctx, u, w, false)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Position == pos {
			return s.chapter(ctx, w.ID, c.ID)
		}
	}
	return nil, fmt.Errorf("chapter %d: %w", pos, archive.ErrNotFound)
}
