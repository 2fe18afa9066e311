package site

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
)

// Related works: a work names works it is inspired by, translates or
// remixes, here or elsewhere. A link to someone else's work here waits
// for that work's creators, who are told and approve or reject it; only
// approved links show, on both works. A link never shows a work the
// reader may not see (a draft, hidden, restricted to a guest, unrevealed)
// and shows an anonymous work's creators as "Anonymous".

// RelatedView is one link as a reader sees it: the other work's title and
// byline, and where it is.
type RelatedView struct {
	Kind    string
	Phrase  string // "Inspired by", "A translation of", "A remix of"
	WorkID  int64  // the other work, when it is here
	URL     string // its page: "/works/N" here, the address elsewhere
	Title   string
	Creator string
	// State is the link's state, shown to the child's creators while it
	// waits (or after it was rejected); "" to everyone else.
	State string
	// Language is a translation's language (the translating work's own,
	// as AO3 shows "Translation into …"): a code, "" for other kinds.
	Language string
}

// WorkRelations are a work's links: those it names (Parents) and the
// approved works naming it (Children).
type WorkRelations struct {
	Parents  []RelatedView
	Children []RelatedView
}

// planRelated checks the links a work (w, ID 0 while new) names for u: a
// work here must be one u may see, posted, and not w itself. A link to
// one's own work is approved at once, to another's waits.
func (s *Site) planRelated(ctx context.Context, u *archive.User, w *archive.Work, in []archive.RelatedInput) ([]archive.RelatedWork, error) {
	clean, err := archive.CleanRelated(in, s.BaseURL)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range clean {
		if r.WorkID != 0 {
			ids = append(ids, r.WorkID)
		}
	}
	ws, err := s.worksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*archive.Work{}
	for _, p := range ws {
		if p != nil {
			byID[p.ID] = p
		}
	}
	out := make([]archive.RelatedWork, 0, len(clean))
	for _, r := range clean {
		l := archive.RelatedWork{ParentID: r.WorkID, URL: r.URL, Title: r.Title, Creator: r.Creator, Kind: r.Kind, State: archive.RelatedApproved}
		if r.WorkID != 0 {
			if w.ID != 0 && r.WorkID == w.ID {
				return nil, archive.Invalid("related", "a work can't be related to itself")
			}
			p := byID[r.WorkID]
			if p == nil || !CanList(u, p) || p.Draft || !s.canSeeWorkPage(ctx, u, p) {
				return nil, archive.Invalid("related", "there is no posted work %d that you can see", r.WorkID)
			}
			if u == nil || !p.HasCreatorUser(u.ID) {
				l.State = archive.RelatedPending
				// A creator who blocked u gets no link, and no notice, from u.
				if err := s.checkBlocked(ctx, p, u); errors.Is(err, ErrBlocked) {
					return nil, archive.Invalid("related", "the creator of work %d has blocked you, so your work can't name theirs", r.WorkID)
				} else if err != nil {
					return nil, err
				}
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// notifyPosted tells those a just-public work concerns: its recipients
// and the creators of the works it names. Nothing happens for a work
// still hidden in any way, and nobody is told twice.
func (s *Site) notifyPosted(ctx context.Context, w *archive.Work) {
	s.notifyGifts(ctx, w, nil)
	s.notifyRelated(ctx, w)
	s.notifyFills(ctx, w)
}

// notifyRelated puts a notice in the inbox of the creators of each work
// the child names and has not had answered.
func (s *Site) notifyRelated(ctx context.Context, child *archive.Work) {
	if child.Draft || child.Hidden || child.Unrevealed || child.AwaitingReview {
		return
	}
	ctx = context.WithoutCancel(ctx)
	log := s.logger().With("work", child.ID)
	links, err := s.store.RelatedParents(ctx, child.ID)
	if err != nil {
		log.Warn("notify related: links", "err", err)
		return
	}
	shown := child
	if child.Anonymous {
		shown = anonymized(child, false)
	}
	var entries []*store.InboxEntry
	var told []int64
	for _, l := range links {
		if l.ParentID == 0 || l.State != archive.RelatedPending {
			continue
		}
		p, err := s.store.Work(ctx, l.ParentID)
		if err != nil {
			continue
		}
		for _, cr := range p.Creators {
			if cr.UserID == 0 || child.HasCreatorUser(cr.UserID) || slices.Contains(told, cr.UserID) {
				continue
			}
			told = append(told, cr.UserID)
			entries = append(entries, &store.InboxEntry{UserID: cr.UserID, Kind: store.InboxRelatedWork, WorkID: child.ID,
				Actor: byline(shown), WorkTitle: child.Title, CreatedAt: s.Now().Truncate(1e9)})
		}
	}
	s.tellOnce(ctx, log, "notify related", entries, func(u *archive.User, _ *store.InboxEntry) (mail.Message, bool) {
		return s.relatedMail(u, shown), true
	})
}

// relatedMail tells a parent's creator that a work (as they may see it)
// names theirs and waits for their answer.
func (s *Site) relatedMail(u *archive.User, child *archive.Work) mail.Message {
	link := fmt.Sprintf("%s/works/%d", s.BaseURL, child.ID)
	answer := s.BaseURL + "/account/related_works"
	prefs := s.BaseURL + "/account/preferences"
	by := byline(child)
	text := fmt.Sprintf("Hello %s,\n\n%s named your work as related to theirs, “%s”: %s\n\nApprove or remove the link: %s\nTurn off these e-mails: %s\n",
		u.Name, by, child.Title, link, answer, prefs)
	esc := html.EscapeString
	body := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s named your work as related to theirs, <a href="%s">“%s”</a>.</p>
<p><a href="%s">Approve or remove the link</a></p>
<hr><p><a href="%s">Turn off these e-mails</a></p>
</body></html>`, esc(u.Name), esc(by), esc(link), esc(child.Title), esc(answer), esc(prefs))
	return mail.Message{To: u.Email, Subject: fmt.Sprintf("[%s] “%s” names your work", s.Name, child.Title), Text: text, HTML: body}
}

// viewable loads works by id as u may see them in a link: nil for those u
// may not see at all.
func (s *Site) viewable(ctx context.Context, u *archive.User, ids []int64) (map[int64]*archive.Work, error) {
	ws, err := s.worksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]*archive.Work{}
	for _, w := range ws {
		if w == nil || w.Draft || !CanList(u, w) || !s.canSeeWorkPage(ctx, u, w) {
			continue
		}
		out[w.ID] = s.maskFor(ctx, u, w)
	}
	return out, nil
}

func linkView(l archive.RelatedWork, other *archive.Work) RelatedView {
	v := RelatedView{Kind: l.Kind, Phrase: archive.RelatedKindPhrase(l.Kind), URL: l.URL, Title: l.Title, Creator: l.Creator}
	if other != nil {
		v.WorkID, v.URL, v.Title, v.Creator = other.ID, fmt.Sprintf("/works/%d", other.ID), other.Title, byline(other)
	}
	return v
}

// Relations lists w's links as u sees them; w is the work as u may see
// it (Work's answer).
func (s *Site) Relations(ctx context.Context, u *archive.User, w *archive.Work) (*WorkRelations, error) {
	parents, err := s.store.RelatedParents(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	children, err := s.store.RelatedChildren(ctx, w.ID, archive.RelatedApproved)
	if err != nil {
		return nil, err
	}
	own := u != nil && !w.Masked && w.HasCreatorUser(u.ID)
	var ids []int64
	for _, l := range parents {
		if l.ParentID != 0 {
			ids = append(ids, l.ParentID)
		}
	}
	for _, l := range children {
		ids = append(ids, l.ChildID)
	}
	seen, err := s.viewable(ctx, u, ids)
	if err != nil {
		return nil, err
	}
	rel := &WorkRelations{}
	for _, l := range parents {
		if l.ParentID == 0 {
			rel.Parents = append(rel.Parents, linkView(l, nil))
			continue
		}
		p := seen[l.ParentID]
		if p == nil || l.State != archive.RelatedApproved && !own {
			continue
		}
		v := linkView(l, p)
		if own && l.State != archive.RelatedApproved {
			v.State = l.State
		}
		rel.Parents = append(rel.Parents, v)
	}
	for i := range rel.Parents {
		if rel.Parents[i].Kind == archive.RelatedTranslation {
			rel.Parents[i].Language = w.Language
		}
	}
	for _, l := range children {
		if c := seen[l.ChildID]; c != nil {
			v := linkView(l, c)
			if l.Kind == archive.RelatedTranslation {
				v.Language = c.Language
			}
			rel.Children = append(rel.Children, v)
		}
	}
	return rel, nil
}

// RelatedInputs are the links a work names, as its edit form shows them
// (a work here by its address on this archive).
func (s *Site) RelatedInputs(ctx context.Context, w *archive.Work) ([]archive.RelatedInput, error) {
	links, err := s.store.RelatedParents(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	out := make([]archive.RelatedInput, 0, len(links))
	for _, l := range links {
		r := archive.RelatedInput{WorkID: l.ParentID, URL: l.URL, Title: l.Title, Creator: l.Creator, Kind: l.Kind}
		if l.ParentID != 0 {
			r.URL = fmt.Sprintf("%s/works/%d", s.BaseURL, l.ParentID)
		}
		out = append(out, r)
	}
	return out, nil
}

// RelatedLink is a link naming one of u's works, for their answer.
type RelatedLink struct {
	ParentID    int64
	ParentTitle string
	Child       RelatedView
	State       string
}

// MyRelatedLinks lists the links naming u's works (any state, newest
// first), leaving out children u may not see.
func (s *Site) MyRelatedLinks(ctx context.Context, u *archive.User) ([]RelatedLink, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	links, err := s.store.UserRelatedLinks(ctx, u.ID, "")
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, l := range links {
		ids = append(ids, l.ChildID, l.ParentID)
	}
	seen, err := s.viewable(ctx, u, ids)
	if err != nil {
		return nil, err
	}
	var out []RelatedLink
	for _, l := range links {
		c, p := seen[l.ChildID], seen[l.ParentID]
		if c == nil || p == nil {
			continue
		}
		out = append(out, RelatedLink{ParentID: p.ID, ParentTitle: p.Title, Child: linkView(l, c), State: l.State})
	}
	return out, nil
}

// AnswerRelated approves or rejects the link from child to parent (the
// parent's creators).
func (s *Site) AnswerRelated(ctx context.Context, u *archive.User, parentID, childID int64, state string) error {
	if u == nil {
		return archive.ErrAuth
	}
	if state != archive.RelatedApproved && state != archive.RelatedRejected {
		return archive.Invalid("state", "must be approved or rejected")
	}
	p, err := s.store.Work(ctx, parentID)
	if err != nil || !CanView(u, p) {
		return fmt.Errorf("work %d: %w", parentID, archive.ErrNotFound)
	}
	if !p.HasCreatorUser(u.ID) {
		return fmt.Errorf("only the creators of work %d answer links to it: %w", parentID, archive.ErrForbidden)
	}
	if err := s.store.SetRelatedState(ctx, parentID, childID, state); err != nil {
		return fmt.Errorf("work %d does not name work %d: %w", childID, parentID, archive.ErrNotFound)
	}
	return nil
}
