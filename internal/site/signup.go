package site

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
	"quire/internal/text"
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
		if err := s.sendInvitation(ctx, r.Email, 0, s.entry(u, archive.AuditInvite, "", "sent from the invitation queue")); err != nil {
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
	return s.sendInvitation(ctx, e, 0, s.entry(u, archive.AuditInvite, "", "sent to an address an admin gave"))
}

// sendInvitation stores an invitation to the address (taking it out of
// the queue), with its audit entry (whose target becomes invitation:ID:
// the log, which moderators read, never names the address), and mails it.
func (s *Site) sendInvitation(ctx context.Context, email string, from int64, e *archive.AuditEntry) error {
	token, hash := NewSecret()
	inv := &archive.Invitation{OwnerID: from, Email: email, SentAt: s.Now()}
	if err := s.store.CreateInvitation(ctx, inv, hash, e); err != nil {
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
	return s.store.GiveInvitations(ctx, to.ID, n, s.Now(), s.entry(u, archive.AuditGiveInvitations, userTarget(to.Name),
		fmt.Sprintf("%d invitation%s to hand on", n, map[bool]string{true: "", false: "s"}[n == 1])))
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

// ReviewPage is a page (50 works) of the works awaiting review, oldest
// first, and how many there are.
type ReviewPage struct {
	Works         []*archive.Work
	Total         int
	Page, PerPage int
}

// ReviewQueue lists a page (1-based) of the works awaiting a moderator's
// approval, oldest first.
func (s *Site) ReviewQueue(ctx context.Context, u *archive.User, page int) (*ReviewPage, error) {
	if err := requireModerator(u); err != nil {
		return nil, err
	}
	page, perPage, err := pageBounds(page, 50)
	if err != nil {
		return nil, err
	}
	ids, err := s.store.WorksAwaitingReview(ctx)
	if err != nil {
		return nil, err
	}
	p := &ReviewPage{Total: len(ids), Page: page, PerPage: perPage}
	from := min((page-1)*perPage, len(ids))
	if p.Works, err = s.store.WorksByIDs(ctx, ids[from:min(from+perPage, len(ids))]); err != nil {
		return nil, err
	}
	return p, nil
}

// reviewedWork loads a held work a moderator may review: not their own.
func (s *Site) reviewedWork(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	if err := requireModerator(u); err != nil {
		return nil, err
	}
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	if !w.AwaitingReview {
		return nil, fmt.Errorf("work %d is not awaiting review: %w", id, archive.ErrNotFound)
	}
	if w.HasCreatorUser(u.ID) {
		return nil, archive.Invalid("work", "is yours: another moderator must review it")
	}
	return w, nil
}

// ApproveWork makes a held work public (moderators): it enters the
// listings and its creators' subscribers hear of it. The note, which may
// be blank, goes in the audit log.
func (s *Site) ApproveWork(ctx context.Context, u *archive.User, id int64, note string) error {
	if _, err := s.reviewedWork(ctx, u, id); err != nil {
		return err
	}
	note = strings.TrimSpace(strings.ReplaceAll(text.ValidUTF8(note), "\x00", ""))
	if n := utf8.RuneCountInString(note); n > archive.MaxReasonLength {
		return archive.Invalid("note", "is %d characters long; the limit is %d", n, archive.MaxReasonLength)
	}
	if err := s.store.ApproveWork(ctx, id, s.entry(u, archive.AuditApproveWork, workTarget(id), note)); err != nil {
		return err
	}
	if err := s.reindex(ctx, id); err != nil {
		return err
	}
	s.logger().Info("work approved", "work", id, "by", u.Name)
	s.notifyNewWork(ctx, id)
	return nil
}

// RejectWork refuses a held work (moderators): it leaves the review queue
// hidden, as a moderator hides a work, with the reason shown to its
// creators on its page; they are told in their inbox and by mail.
func (s *Site) RejectWork(ctx context.Context, u *archive.User, id int64, reason string) error {
	w, err := s.reviewedWork(ctx, u, id)
	if err != nil {
		return err
	}
	if reason, err = archive.CleanReason(reason); err != nil {
		return err
	}
	if err := s.store.RejectWork(ctx, id, reason, s.entry(u, archive.AuditRejectWork, workTarget(id), reason)); err != nil {
		return err
	}
	if err := s.reindex(ctx, id); err != nil {
		return err
	}
	if w, err = s.store.Work(ctx, id); err != nil {
		return err
	}
	s.noticeToCreators(ctx, w, InboxWorkHidden, fmt.Sprintf("[%s] Your work “%s” was not approved", s.Name, w.Title),
		fmt.Sprintf("The moderators of %s have reviewed your work “%s” and not approved it: it stays hidden, and only you and the moderators can see it.\n\nReason: %s\n\n%s/works/%d\n",
			s.Name, w.Title, reason, s.BaseURL, w.ID))
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
