package site

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
)

// VerificationLifetime is how long an e-mail verification link works.
const VerificationLifetime = 7 * 24 * time.Hour

// Sign-up refusals.
var (
	ErrSignupClosed     = &Refusal{Code: "signup_closed", Message: "sign-ups are closed on this archive for now"}
	ErrInvitationNeeded = &Refusal{Code: "invitation_needed", Message: "sign-ups on this archive need an invitation; you can ask for one on the invitations page (/invite_requests)"}
	ErrBadInvitation    = &Refusal{Code: "invitation_invalid", Message: "this invitation is unknown or has already been used; ask for a new one on the invitations page (/invite_requests)"}
)

// signupPolicy refuses a sign-up the policy does not allow; it reports
// whether the account must use an invitation.
func (s *Site) signupPolicy(ctx context.Context, in SignupInput) (p archive.Policy, invited bool, err error) {
	if in.Operator {
		return archive.DefaultPolicy(), false, nil
	}
	if p, err = s.Policy(ctx); err != nil {
		return p, false, err
	}
	switch p.Signup {
	case archive.SignupClosed:
		s.NoteStopped(DefenceSignupRefused)
		return p, false, ErrSignupClosed
	case archive.SignupInvite:
		if in.Invitation == "" {
			s.NoteStopped(DefenceSignupRefused)
			return p, false, ErrInvitationNeeded
		}
		return p, true, nil
	}
	return p, false, nil
}

// createAccount stores a signing-up account, using its invitation when
// the policy asks for one, and mails the verification link when the
// policy asks for that.
func (s *Site) createAccount(ctx context.Context, u *archive.User, in SignupInput, p archive.Policy, invited bool) error {
	if invited {
		err := s.store.CreateInvitedUser(ctx, u, HashSecret(in.Invitation), s.Now())
		if errors.Is(err, archive.ErrNotFound) {
			s.NoteStopped(DefenceSignupRefused)
			return ErrBadInvitation
		}
		if err != nil {
			return err
		}
		if err := s.store.DeleteInviteRequest(ctx, u.Email); err != nil {
			return err
		}
	} else if err := s.store.CreateUser(ctx, u); err != nil {
		return err
	}
	if in.Operator {
		return nil
	}
	if err := s.store.MarkSelfSignup(ctx, u.ID); err != nil {
		return err
	}
	if p.VerifyEmail {
		return s.sendVerification(ctx, u)
	}
	return nil
}

// InvitationUsable reports whether an invitation token may still be used.
func (s *Site) InvitationUsable(ctx context.Context, token string) bool {
	if token == "" {
		return false
	}
	_, err := s.store.InvitationByToken(ctx, HashSecret(token))
	return err == nil
}

func (s *Site) sendVerification(ctx context.Context, u *archive.User) error {
	token, hash := NewSecret()
	if err := s.store.SetEmailVerification(ctx, u.ID, hash, s.Now().Add(VerificationLifetime)); err != nil {
		return err
	}
	link := s.BaseURL + "/verify_email?token=" + url.QueryEscape(token)
	return mail.Queue(ctx, s.Jobs, mail.Message{
		To:      u.Email,
		Subject: fmt.Sprintf("[%s] Verify your e-mail address", s.Name),
		Text: fmt.Sprintf("Hello %s,\n\nWelcome to %s. Before you can post, comment, bookmark or leave kudos, please confirm this is your address by opening this link within %d days:\n\n%s\n\nIf you did not sign up, ignore this message.\n",
			u.Name, s.Name, int(VerificationLifetime.Hours()/24), link),
	})
}

// EmailUnverified reports whether u still has to verify its address
// (false when the policy does not ask for it).
func (s *Site) EmailUnverified(ctx context.Context, u *archive.User) (bool, error) {
	p, err := s.Policy(ctx)
	if err != nil || !p.VerifyEmail || u == nil {
		return false, err
	}
	return s.store.EmailUnverified(ctx, u.ID)
}

// ResendVerification mails u a fresh verification link (the old one stops
// working).
func (s *Site) ResendVerification(ctx context.Context, u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	unverified, err := s.store.EmailUnverified(ctx, u.ID)
	if err != nil {
		return err
	}
	if !unverified {
		return archive.Invalid("email", "your e-mail address is already verified")
	}
	return s.sendVerification(ctx, u)
}

// VerifyEmail follows a verification link.
func (s *Site) VerifyEmail(ctx context.Context, token string) (*archive.User, error) {
	uid, expires, err := s.store.EmailVerification(ctx, HashSecret(token))
	if errors.Is(err, archive.ErrNotFound) {
		return nil, archive.Invalid("token", "this verification link is unknown or was already used; your account page can send a new one")
	}
	if err != nil {
		return nil, err
	}
	if !s.Now().Before(expires) {
		return nil, archive.Invalid("token", "this verification link has expired; your account page can send a new one")
	}
	if err := s.store.DeleteEmailVerification(ctx, uid); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, uid)
}

// RequestInvitation queues an address for an invitation and returns its
// place in the queue (its place as it is, when already queued).
func (s *Site) RequestInvitation(ctx context.Context, email string) (int, error) {
	p, err := s.Policy(ctx)
	if err != nil {
		return 0, err
	}
	switch p.Signup {
	case archive.SignupOpen:
		return 0, archive.Invalid("email", "this archive needs no invitation: you can sign up right away")
	case archive.SignupClosed:
		return 0, ErrSignupClosed
	}
	e, err := archive.CleanEmail(email)
	if err != nil {
		return 0, err
	}
	return s.store.QueueInviteRequest(ctx, e, s.Now())
}

// InvitationPlace is an address's place in the invitation queue, or
// archive.ErrNotFound.
func (s *Site) InvitationPlace(ctx context.Context, email string) (int, error) {
	return s.store.InviteRequestPlace(ctx, email)
}

// MaxInvitationBatch bounds one batch of invitations.
const MaxInvitationBatch = 1000

func requireAdmin(u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.IsAdmin() {
		return fmt.Errorf("admins only: %w", archive.ErrForbidden)
	}
	return nil
}

func requireModerator(u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.Has(archive.RoleModerator) {
		return fmt.Errorf("moderators only: %w", archive.ErrForbidden)
	}
	return nil
}

// InviteFromQueue sends invitations to the first n addresses of the queue
// (admins) and returns the addresses invited.
func (s *Site) InviteFromQueue(ctx context.Context, u *archive.User, n int) ([]string, error) {
	if err := requireAdmin(u); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxInvitationBatch {
		return nil, archive.Invalid("count", "must be from 1 to %d", MaxInvitationBatch)
	}
	reqs, _, err := s.store.InviteRequests(ctx, n)
	if err != nil {
		return nil, err
	}
	var sent []string
	for _, r := range reqs {
		if err := s.sendInvitation(ctx, r.Email, 0); err != nil {
			return sent, err
		}
		if err := s.store.DeleteInviteRequest(ctx, r.Email); err != nil {
			return sent, err
		}
		sent = append(sent, r.Email)
	}
	return sent, nil
}

// InviteAddress sends an invitation to one address (admins).
func (s *Site) InviteAddress(ctx context.Context, u *archive.User, email string) error {
	if err := requireAdmin(u); err != nil {
		return err
	}
	e, err := archive.CleanEmail(email)
	if err != nil {
		return err
	}
	if err := s.sendInvitation(ctx, e, 0); err != nil {
		return err
	}
	return s.store.DeleteInviteRequest(ctx, e)
}

func (s *Site) sendInvitation(ctx context.Context, email string, from int64) error {
	token, hash := NewSecret()
	inv := &archive.Invitation{OwnerID: from, Email: email, SentAt: s.Now()}
	if err := s.store.CreateInvitation(ctx, inv, hash); err != nil {
		return err
	}
	return s.mailInvitation(ctx, email, token)
}

func (s *Site) mailInvitation(ctx context.Context, email, token string) error {
	link := s.BaseURL + "/signup?invitation=" + url.QueryEscape(token)
	return mail.Queue(ctx, s.Jobs, mail.Message{
		To:      email,
		Subject: fmt.Sprintf("[%s] Your invitation", s.Name),
		Text:    fmt.Sprintf("Hello,\n\nYou are invited to make an account on %s. Open this link to sign up:\n\n%s\n\nThe link works once.\n", s.Name, link),
	})
}

// GiveInvitations gives a user n invitations to hand on (admins).
func (s *Site) GiveInvitations(ctx context.Context, u *archive.User, name string, n int) error {
	if err := requireAdmin(u); err != nil {
		return err
	}
	if n < 1 || n > MaxInvitationBatch {
		return archive.Invalid("count", "must be from 1 to %d", MaxInvitationBatch)
	}
	to, err := s.store.UserByName(ctx, name)
	if errors.Is(err, archive.ErrNotFound) {
		return archive.Invalid("user", "there is no user %q", name)
	}
	if err != nil {
		return err
	}
	return s.store.GiveInvitations(ctx, to.ID, n, s.Now())
}

// UserInvitations are the invitations a user holds, for the user or an
// admin: every one, and how many are still unsent.
func (s *Site) UserInvitations(ctx context.Context, u *archive.User, name string) (owner *archive.User, invs []archive.Invitation, unsent int, err error) {
	if u == nil {
		return nil, nil, 0, archive.ErrAuth
	}
	owner, err = s.store.UserByName(ctx, name)
	if err != nil {
		return nil, nil, 0, err
	}
	if owner.ID != u.ID && !u.IsAdmin() {
		return nil, nil, 0, fmt.Errorf("another user's invitations: %w", archive.ErrForbidden)
	}
	invs, err = s.store.Invitations(ctx, owner.ID, MaxInvitationBatch)
	for _, i := range invs {
		if i.SentAt.IsZero() {
			unsent++
		}
	}
	return owner, invs, unsent, err
}

// SendUserInvitation sends one of u's invitations to an address.
func (s *Site) SendUserInvitation(ctx context.Context, u *archive.User, email string) error {
	if u == nil {
		return archive.ErrAuth
	}
	e, err := archive.CleanEmail(email)
	if err != nil {
		return err
	}
	token, hash := NewSecret()
	if _, err := s.store.SendOwnedInvitation(ctx, u.ID, e, hash, s.Now()); err != nil {
		if errors.Is(err, archive.ErrNotFound) {
			return archive.Invalid("email", "you have no invitations left to send")
		}
		return err
	}
	return s.mailInvitation(ctx, e, token)
}

// InvitationsOverview is the admins' invitations page: the queue's front
// and length, and the latest invitations.
type InvitationsOverview struct {
	Queue       []store.InviteRequest
	QueueLength int
	Recent      []archive.Invitation
}

// Invitations is the admins' view of the queue and recent invitations.
func (s *Site) Invitations(ctx context.Context, u *archive.User) (*InvitationsOverview, error) {
	if err := requireAdmin(u); err != nil {
		return nil, err
	}
	var o InvitationsOverview
	var err error
	if o.Queue, o.QueueLength, err = s.store.InviteRequests(ctx, 100); err != nil {
		return nil, err
	}
	if o.Recent, err = s.store.Invitations(ctx, 0, 100); err != nil {
		return nil, err
	}
	return &o, nil
}

// ReviewQueue lists the works awaiting a moderator's approval.
func (s *Site) ReviewQueue(ctx context.Context, u *archive.User) ([]*archive.Work, error) {
	if err := requireModerator(u); err != nil {
		return nil, err
	}
	ids, err := s.store.WorksAwaitingReview(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.WorksByIDs(ctx, ids)
}

// ApproveWork makes a held work public (moderators): it enters the
// listings and its creators' subscribers hear of it.
func (s *Site) ApproveWork(ctx context.Context, u *archive.User, id int64) error {
	if err := requireModerator(u); err != nil {
		return err
	}
	if err := s.store.ApproveWork(ctx, id); err != nil {
		return err
	}
	if err := s.reindex(ctx, id); err != nil {
		return err
	}
	s.logger().Info("work approved", "work", id, "by", u.Name)
	s.notifyNewWork(ctx, id)
	return nil
}

// HeldWorks lists u's posted works that await a moderator's review (held
// drafts are among u's drafts).
func (s *Site) HeldWorks(ctx context.Context, u *archive.User) ([]*archive.Work, error) {
	ids, err := s.store.WorkIDsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ws, err := s.store.WorksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []*archive.Work
	for _, w := range ws {
		if w.AwaitingReview && !w.Draft {
			out = append(out, w)
		}
	}
	return out, nil
}
