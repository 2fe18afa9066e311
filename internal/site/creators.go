package site

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
)

// Co-creators. Naming another account's pseud as a creator of a work
// invites it: the invitee gets an inbox entry and a mail, and joins the
// byline (and with it the index's creator set, the creator pages and feeds,
// the subscriptions to a creator, the right to edit) only by accepting.
// Accounts may refuse every invitation (a preference); an account that
// blocked the inviter refuses theirs alike, with the same message.

// invitee is another account's pseud named as a co-creator.
type invitee struct {
	pseud archive.Pseud
	user  *archive.User
}

// splitCreators sorts names into u's own pseuds (for the byline) and other
// accounts' pseuds (to invite), checking every name first. onlyOthers
// refuses u's own pseuds (a field that only invites).
func (s *Site) splitCreators(ctx context.Context, u *archive.User, names []string, onlyOthers bool) (own []string, others []invitee, err error) {
	mine, err := s.store.Pseuds(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	seen := map[int64]bool{}
	for _, raw := range names {
		n := strings.Join(strings.Fields(raw), " ")
		if n == "" {
			continue
		}
		if i := slices.IndexFunc(mine, func(p archive.Pseud) bool { return strings.EqualFold(p.Name, n) }); i >= 0 {
			if onlyOthers {
				return nil, nil, archive.Invalid("co_creators", "%q is your own pseud; you can't invite yourself", n)
			}
			own = append(own, mine[i].Name)
			continue
		}
		p, err := s.store.PseudByName(ctx, n)
		if errors.Is(err, archive.ErrNotFound) || err == nil && p.UserID == 0 {
			return nil, nil, archive.Invalid("creators", "there is no pseud named %q", n)
		}
		if err != nil {
			return nil, nil, err
		}
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		owner, err := s.store.UserByID(ctx, p.UserID)
		if err != nil {
			return nil, nil, err
		}
		if err := s.checkInvitable(ctx, u, owner, p.Name); err != nil {
			return nil, nil, err
		}
		others = append(others, invitee{pseud: *p, user: owner})
	}
	return own, others, nil
}

// checkInvitable refuses invitations the invitee does not take from u.
func (s *Site) checkInvitable(ctx context.Context, u, owner *archive.User, pseud string) error {
	refused := owner.Preferences.RefuseCocreator || owner.Banned
	if !refused {
		blocked, err := s.store.IsBlocked(ctx, []int64{owner.ID}, u.ID)
		if err != nil {
			return err
		}
		refused = blocked
	}
	if refused {
		return archive.Invalid("creators", "%q does not accept co-creator invitations from you", pseud)
	}
	return nil
}

// creatorsOf splits a work input's creators and co-creators (see
// splitCreators) before anything is written.
func (s *Site) creatorsOf(ctx context.Context, u *archive.User, in archive.WorkInput) (own []string, others []invitee, err error) {
	own, others, err = s.splitCreators(ctx, u, in.Pseuds, false)
	if err != nil {
		return nil, nil, err
	}
	_, more, err := s.splitCreators(ctx, u, in.CoCreators, true)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range more {
		if !slices.ContainsFunc(others, func(o invitee) bool { return o.pseud.ID == m.pseud.ID }) {
			others = append(others, m)
		}
	}
	return own, others, nil
}

// inviterName is the pseud u shows on w's byline (their first).
func inviterName(u *archive.User, w *archive.Work) string {
	for _, c := range w.Creators {
		if c.UserID == u.ID {
			return c.Pseud
		}
	}
	return u.Name
}

// invite records invitations to w and tells each invitee. A pseud already
// credited or invited is skipped.
func (s *Site) invite(ctx context.Context, u *archive.User, w *archive.Work, others []invitee) error {
	return s.inviteTo(ctx, u, w, nil, others)
}

// inviteTo records invitations to w, or to its chapter c when c is not
// nil, and tells each invitee. A pseud already credited on the work or
// invited to it is skipped.
func (s *Site) inviteTo(ctx context.Context, u *archive.User, w *archive.Work, c *archive.Chapter, others []invitee) error {
	from := inviterName(u, w)
	for _, o := range others {
		if slices.ContainsFunc(w.Creators, func(c archive.Creator) bool { return c.PseudID == o.pseud.ID }) {
			continue
		}
		inv := &archive.CreatorInvitation{WorkID: w.ID, PseudID: o.pseud.ID, Inviter: from, CreatedAt: s.Now().Truncate(1e9)}
		if c != nil {
			inv.ChapterID = c.ID
		}
		err := s.store.InviteCreator(ctx, inv)
		if errors.Is(err, archive.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("invite %s: %w", o.pseud.Name, err)
		}
		s.tellInvitee(context.WithoutCancel(ctx), o, w, c, from)
	}
	return nil
}

// tellInvitee puts the invitation in the invitee's inbox and mails them.
func (s *Site) tellInvitee(ctx context.Context, o invitee, w *archive.Work, c *archive.Chapter, from string) {
	log := s.logger().With("work", w.ID, "invitee", o.user.ID)
	e := &store.InboxEntry{UserID: o.user.ID, Kind: store.InboxCreatorInvitation, WorkID: w.ID, Actor: from, WorkTitle: w.Title, CreatedAt: s.Now().Truncate(1e9)}
	what := fmt.Sprintf("“%s”", w.Title)
	if c != nil {
		e.ChapterID = c.ID
		what = fmt.Sprintf("chapter %d of “%s”", c.Position, w.Title)
	}
	if err := s.store.AddInboxEntries(ctx, []*store.InboxEntry{e}); err != nil {
		log.Warn("invitation: inbox", "err", err)
	}
	if s.Jobs == nil || o.user.Email == "" {
		return
	}
	link := s.BaseURL + "/account/creator_invitations"
	prefs := s.BaseURL + "/account/preferences"
	subject := fmt.Sprintf("[%s] %s invited you to be a co-creator of %s", s.Name, from, what)
	text := fmt.Sprintf("Hello %s,\n\n%s invited your pseud %s to be a co-creator of %s.\n"+
		"Your name shows on the work only if you accept.\n\nAccept or decline: %s\n\n"+
		"To refuse every such invitation, change your preferences: %s\n", o.user.Name, from, o.pseud.Name, what, link, prefs)
	esc := html.EscapeString
	body := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s invited your pseud %s to be a co-creator of %s. Your name shows on the work only if you accept.</p>
<p><a href="%s">Accept or decline</a></p>
<hr>
<p style="font-size:small">To refuse every such invitation, <a href="%s">change your preferences</a>.</p>
</body></html>`, esc(o.user.Name), esc(from), esc(o.pseud.Name), esc(what), esc(link), esc(prefs))
	if err := mail.Queue(ctx, s.Jobs, mail.Message{To: o.user.Email, Subject: subject, Text: text, HTML: body}); err != nil {
		log.Warn("invitation: queue mail", "err", err)
	}
}

// CreatorInvitations lists the invitations to u's pseuds.
func (s *Site) CreatorInvitations(ctx context.Context, u *archive.User) ([]*archive.CreatorInvitation, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	return s.store.CreatorInvitationsForUser(ctx, u.ID)
}

// WorkInvitations lists the pending invitations of a work its editor sees.
func (s *Site) WorkInvitations(ctx context.Context, u *archive.User, w *archive.Work) ([]*archive.CreatorInvitation, error) {
	if !CanEdit(u, w) {
		return nil, nil
	}
	return s.store.CreatorInvitationsOfWork(ctx, w.ID)
}

// ownInvitation loads an invitation to one of u's pseuds.
func (s *Site) ownInvitation(ctx context.Context, u *archive.User, id int64) (*archive.CreatorInvitation, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	inv, err := s.store.CreatorInvitation(ctx, id)
	if err != nil {
		return nil, err
	}
	if inv.UserID != u.ID {
		return nil, fmt.Errorf("creator invitation %d: %w", id, archive.ErrNotFound)
	}
	return inv, nil
}

// AcceptCreatorInvitation puts u's invited pseud on the work's byline: from
// now on u is one of its creators everywhere.
func (s *Site) AcceptCreatorInvitation(ctx context.Context, u *archive.User, id int64) (*archive.CreatorInvitation, error) {
	inv, err := s.ownInvitation(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	if err := s.store.AcceptCreatorInvitation(ctx, id); err != nil {
		return nil, err
	}
	if err := s.reindex(ctx, inv.WorkID); err != nil {
		return nil, err
	}
	return inv, nil
}

// DeclineCreatorInvitation drops the invitation; the byline stays as it is.
func (s *Site) DeclineCreatorInvitation(ctx context.Context, u *archive.User, id int64) (*archive.CreatorInvitation, error) {
	inv, err := s.ownInvitation(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return inv, s.store.DeclineCreatorInvitation(ctx, id)
}

// LeaveWork takes u off the byline of a work they co-created; its last
// creator can't leave (they orphan or delete it instead).
func (s *Site) LeaveWork(ctx context.Context, u *archive.User, workID int64) error {
	w, err := s.EditableWork(ctx, u, workID)
	if err != nil {
		return err
	}
	if !w.HasCreatorUser(u.ID) {
		return fmt.Errorf("you are not a creator of work %d: %w", workID, archive.ErrForbidden)
	}
	if err := s.store.RemoveCreator(ctx, workID, u.ID); err != nil {
		return err
	}
	return s.reindex(ctx, workID)
}

// chapterCreators is a chapter's byline as named on the chapter form or
// in the API, resolved: the pseuds credited at once and those invited.
type chapterCreators struct {
	direct []int64
	others []invitee
}

// chapterCreatorsOf resolves the names given for a chapter's byline before
// anything is written: u's own pseuds and the work's creators are credited
// at once (as AO3 approves them itself), other accounts' pseuds are
// invited, with the checks of the work's invitations. Only the work's
// creators choose a chapter's creators.
func (s *Site) chapterCreatorsOf(ctx context.Context, u *archive.User, w *archive.Work, names []string) (*chapterCreators, error) {
	if u == nil || !w.HasCreatorUser(u.ID) {
		return nil, archive.Invalid("creators", "only the work's creators can choose a chapter's creators")
	}
	var clean, rest []string
	seen := map[string]bool{}
	for _, raw := range names {
		n := strings.Join(strings.Fields(raw), " ")
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		clean = append(clean, n)
	}
	if len(clean) > archive.MaxChapterCreators {
		return nil, archive.Invalid("creators", "a chapter may name at most %d creators", archive.MaxChapterCreators)
	}
	onWork := func(n string) int64 {
		for _, c := range w.Creators {
			if strings.EqualFold(c.Pseud, n) {
				return c.PseudID
			}
		}
		return 0
	}
	for _, n := range clean {
		if onWork(n) == 0 {
			rest = append(rest, n)
		}
	}
	_, others, err := s.splitCreators(ctx, u, rest, false)
	if err != nil {
		return nil, err
	}
	mine, err := s.store.Pseuds(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := &chapterCreators{others: others}
	for _, n := range clean {
		if id := onWork(n); id != 0 {
			out.direct = append(out.direct, id)
		} else if i := slices.IndexFunc(mine, func(p archive.Pseud) bool { return strings.EqualFold(p.Name, n) }); i >= 0 {
			out.direct = append(out.direct, mine[i].ID)
		}
	}
	return out, nil
}

// applyChapterCreators gives chapter c the byline resolved by
// chapterCreatorsOf: the direct pseuds at once (none: the work's
// creators), invitations to the others.
func (s *Site) applyChapterCreators(ctx context.Context, u *archive.User, w *archive.Work, c *archive.Chapter, cc *chapterCreators) error {
	if cc == nil {
		return nil
	}
	if err := s.store.SetChapterCreators(ctx, w.ID, c.ID, cc.direct); err != nil {
		return err
	}
	return s.inviteTo(ctx, u, w, c, cc.others)
}

// ChapterInvitations lists the pending invitations to a chapter its
// editor sees.
func (s *Site) ChapterInvitations(ctx context.Context, u *archive.User, w *archive.Work, chapterID int64) ([]*archive.CreatorInvitation, error) {
	invs, err := s.WorkInvitations(ctx, u, w)
	if err != nil {
		return nil, err
	}
	var out []*archive.CreatorInvitation
	for _, inv := range invs {
		if inv.ChapterID == chapterID {
			out = append(out, inv)
		}
	}
	return out, nil
}
