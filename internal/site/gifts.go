package site

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
)

// resolveGifts turns recipient names into gifts: an account's name is
// that account, any other name a free name.
func (s *Site) resolveGifts(ctx context.Context, names []string) ([]archive.Gift, error) {
	clean, err := archive.CleanGiftNames(names)
	if err != nil {
		return nil, err
	}
	out := make([]archive.Gift, 0, len(clean))
	for _, n := range clean {
		g := archive.Gift{Name: n}
		u, err := s.store.UserByName(ctx, n)
		switch {
		case err == nil && !u.Banned:
			g.Name, g.UserID = u.Name, u.ID
		case err != nil && !errors.Is(err, archive.ErrNotFound):
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// SetWorkGifts makes a work's recipients those named (its creators; the
// work form's gift field and the API's "gifts"). New recipients with an
// account are told, unless the work is a draft or unrevealed (then they
// are told when it is posted or revealed).
func (s *Site) SetWorkGifts(ctx context.Context, u *archive.User, workID int64, names []string) error {
	w, err := s.EditableWork(ctx, u, workID)
	if err != nil {
		return err
	}
	gifts, err := s.resolveGifts(ctx, names)
	if err != nil {
		return err
	}
	for _, g := range gifts {
		if g.UserID != 0 && w.HasCreatorUser(g.UserID) {
			return archive.Invalid("gifts", "you can't give a work to yourself")
		}
	}
	old := map[int64]bool{}
	for _, g := range w.Gifts {
		old[g.UserID] = true
	}
	if err := s.store.SetWorkGifts(ctx, w.ID, gifts); err != nil {
		return err
	}
	s.forget(w.ID)
	var fresh []int64
	for _, g := range gifts {
		if g.UserID != 0 && !old[g.UserID] {
			fresh = append(fresh, g.UserID)
		}
	}
	if len(fresh) > 0 {
		if w, err = s.store.Work(ctx, w.ID); err == nil {
			s.notifyGifts(ctx, w, fresh)
		}
	}
	return nil
}

// notifyGifts tells a work's recipients (only those in only, when given)
// in their inbox, and by mail when their preferences allow it, once the
// work is posted and revealed. A recipient is told of a work once: a
// reveal after a posting, or a retried publication, tells nobody twice.
func (s *Site) notifyGifts(ctx context.Context, w *archive.Work, only []int64) {
	s.fulfilAssignments(ctx, w)
	if w.Draft || w.Hidden || w.Unrevealed || w.AwaitingReview {
		return
	}
	ctx = context.WithoutCancel(ctx)
	log := s.logger().With("work", w.ID)
	shown := w
	if w.Anonymous {
		shown = anonymized(w, false)
	}
	var entries []*store.InboxEntry
	for _, g := range w.Gifts {
		if g.UserID == 0 || only != nil && !containsID(only, g.UserID) {
			continue
		}
		entries = append(entries, &store.InboxEntry{UserID: g.UserID, Kind: store.InboxGift, WorkID: w.ID,
			Actor: byline(shown), WorkTitle: w.Title, CreatedAt: s.Now().Truncate(1e9)})
	}
	s.tellOnce(ctx, log, "notify gifts", entries, func(u *archive.User, _ *store.InboxEntry) (mail.Message, bool) {
		return s.giftMail(u, shown), true
	})
}

// giftMail composes the notice of a work given to u (w as u may see it).
func (s *Site) giftMail(u *archive.User, w *archive.Work) mail.Message {
	by := byline(w)
	link := fmt.Sprintf("%s/works/%d", s.BaseURL, w.ID)
	gifts := fmt.Sprintf("%s/users/%s/gifts", s.BaseURL, url.PathEscape(u.Name))
	prefs := s.BaseURL + "/account/preferences"
	what := fmt.Sprintf("%s gave you a work, “%s”", by, w.Title)
	text := fmt.Sprintf("Hello %s,\n\n%s.\n\nRead it: %s\n\nIf you'd rather not have it, the work's page lets you refuse the gift.\n"+
		"Your gifts: %s\nTurn off these e-mails: %s\n", u.Name, what, link, gifts, prefs)
	esc := html.EscapeString
	htmlBody := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s.</p>
<p><a href="%s">Read it on %s</a></p>
<p>If you'd rather not have it, the work's page lets you refuse the gift.</p>
<hr>
<p style="font-size:small"><a href="%s">Your gifts</a> · <a href="%s">Turn off these e-mails</a></p>
</body></html>`, esc(u.Name), esc(what), esc(link), esc(s.Name), esc(gifts), esc(prefs))
	return mail.Message{To: u.Email, Subject: fmt.Sprintf("[%s] A gift for you: “%s” by %s", s.Name, w.Title, by), Text: text, HTML: htmlBody}
}

func containsID(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// RefuseGift takes u's name off a work given to them.
func (s *Site) RefuseGift(ctx context.Context, u *archive.User, workID int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	if err := s.store.RefuseGift(ctx, workID, u.ID); err != nil {
		if errors.Is(err, archive.ErrNotFound) {
			return fmt.Errorf("work %d is not a gift to you: %w", workID, archive.ErrNotFound)
		}
		return err
	}
	s.forget(workID)
	return nil
}

// Gifts lists the works given to a user that u may see, newest first.
func (s *Site) Gifts(ctx context.Context, u *archive.User, name string) (*archive.User, []*archive.Work, error) {
	to, err := s.store.UserByName(ctx, strings.TrimSpace(name))
	if err != nil {
		return nil, nil, err
	}
	ids, err := s.store.GiftWorkIDs(ctx, to.ID)
	if err != nil {
		return nil, nil, err
	}
	ws, err := s.worksByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var out []*archive.Work
	for _, w := range ws {
		if CanList(u, w) && !w.Draft && s.canSeeWorkPage(ctx, u, w) {
			out = append(out, w)
		}
	}
	return to, s.withReaderCounts(ctx, u, out), nil
}
