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
	from := inviterName(u, w)
	for _, o := range others {
		if slices.ContainsFunc(w.Creators, func(c archive.Creator) bool { return c.PseudID == o.pseud.ID }) {
			continue
		}
		inv := &archive.CreatorInvitation{WorkID: w.ID, PseudID: o.pseud.ID, Inviter: from, CreatedAt: s.Now().Truncate(1e9)}
		err := s.store.InviteCreator(ctx, inv)
		if errors.Is(err, archive.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("invite %s: %w", o.pseud.Name, err)
		}
		s.tellInvitee(context.WithoutCancel(ctx), o, w, from)
	}
	return nil
}

// tellInvitee puts the invitation in the invitee's inbox and mails them.
func (s *Site) tellInvitee(ctx context.Context, o invitee, w *archive.Work, from string) {
	log := s.logger().With("work", w.ID, "invitee", o.user.ID)
	e := &store.InboxEntry{UserID: o.user.ID, Kind: store.InboxCreatorInvitation, WorkID: w.ID, Actor: from, WorkTitle: w.Title, CreatedAt: s.Now().Truncate(1e9)}
	if err := s.store.AddInboxEntries(ctx, []*store.InboxEntry{e}); err != nil {
		log.Warn("invitation: inbox", "err", err)
	}
	if s.Jobs == nil || o.user.Email == "" {
		return
	}
	link := s.BaseURL + "/account/creator_invitations"
	prefs := s.BaseURL + "/account/preferences"
	subject := fmt.Sprintf("[%s] %s invited you to be a co-creator of “%s”", s.Name, from, w.Title)
	text := fmt.Sprintf("Hello %s,\n\n%s invited your pseud %s to be a co-creator of “%s”.\n"+
		"Your name shows on the work only if you accept.\n\nAccept or decline: %s\n\n"+
		"To refuse every such invitation, change your preferences: %s\n", o.user.Name, from, o.pseud.Name, w.Title, link, prefs)
	esc := html.EscapeString
	body := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s invited your pseud %s to be a co-creator of “%s”. Your name shows on the work only if you accept.</p>
<p><a href="%s">Accept or decline</a></p>
<hr>
<p style="font-size:small">To refuse every such invitation, <a href="%s">change your preferences</a>.</p>
</body></html>`, esc(o.user.Name), esc(from), esc(o.pseud.Name), esc(w.Title), esc(link), esc(prefs))
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
