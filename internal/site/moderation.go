package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/jobs"
	"quire/internal/mail"
	"quire/internal/store"
)

// Moderation: the actions moderators (and admins, who hold every role)
// take on works, comments and accounts. Each needs a reason and writes its
// audit entry in the same transaction as the action. A hidden work leaves
// the index here at once; other nodes drop it when the change feed names it.

// EndSuspensionJob is the job kind that lifts a suspension when it ends
// (the job table hands it to exactly one node).
const EndSuspensionJob = "end_suspension"

// Inbox kinds of what moderators tell a creator.
const (
	InboxWorkHidden   = "work_hidden"
	InboxWorkUnhidden = "work_unhidden"
)

// CanModerate reports whether u holds the moderator role (admins do).
func CanModerate(u *archive.User) bool { return u.Has(archive.RoleModerator) }

// requireRole refuses a guest (ErrAuth) and a user without the role.
func requireRole(u *archive.User, role string) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.Has(role) {
		return fmt.Errorf("needs the %s role: %w", role, archive.ErrForbidden)
	}
	return nil
}

// RequireModerator refuses anyone but moderators and admins.
func RequireModerator(u *archive.User) error { return requireRole(u, archive.RoleModerator) }

// RequireAdmin refuses anyone but admins.
func RequireAdmin(u *archive.User) error { return requireRole(u, archive.RoleAdmin) }

// CheckWrite refuses every write by a suspended account, with the end of
// the suspension. It compares with the clock, so a suspension lifts at its
// end on every node whether or not the job has run yet.
func (s *Site) CheckWrite(u *archive.User) error {
	if u != nil && u.Suspended(s.Now()) {
		return &archive.SuspendedError{Until: u.SuspendedUntil}
	}
	return nil
}

func (s *Site) entry(u *archive.User, action, target, reason string) *archive.AuditEntry {
	actor := archive.AuditActorSystem
	if u != nil {
		actor = u.Name
	}
	return &archive.AuditEntry{Actor: actor, Action: action, Target: target, Reason: reason, At: s.Now()}
}

func workTarget(id int64) string    { return "work:" + strconv.FormatInt(id, 10) }
func commentTarget(id int64) string { return "comment:" + strconv.FormatInt(id, 10) }
func userTarget(name string) string { return "user:" + name }

// HideWork hides a work from everyone but its creators and moderators.
func (s *Site) HideWork(ctx context.Context, u *archive.User, id int64, reason string) (*archive.Work, error) {
	return s.setWorkHidden(ctx, u, id, reason, true)
}

// UnhideWork shows a hidden work again.
func (s *Site) UnhideWork(ctx context.Context, u *archive.User, id int64, reason string) (*archive.Work, error) {
	return s.setWorkHidden(ctx, u, id, reason, false)
}

func (s *Site) setWorkHidden(ctx context.Context, u *archive.User, id int64, reason string, hidden bool) (*archive.Work, error) {
	if err := RequireModerator(u); err != nil {
		return nil, err
	}
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	if w.HasCreatorUser(u.ID) {
		return nil, archive.Invalid("work", "is yours: another moderator must act on it")
	}
	reason, err = archive.CleanReason(reason)
	if err != nil {
		return nil, err
	}
	if w.Hidden == hidden && !(hidden && w.HiddenByBan) {
		if hidden {
			return nil, archive.Invalid("work", "is already hidden")
		}
		return nil, archive.Invalid("work", "is not hidden")
	}
	action := archive.AuditHideWork
	if !hidden {
		action = archive.AuditUnhideWork
	}
	if err := s.store.SetWorkHidden(ctx, id, hidden, reason, s.entry(u, action, workTarget(id), reason)); err != nil {
		return nil, err
	}
	if err := s.reindex(ctx, id); err != nil {
		return nil, err
	}
	w, err = s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	s.tellCreators(ctx, w, hidden, reason)
	return w, nil
}

// tellCreators puts a notice in the inbox of the work's creators and mails
// them (whatever their notification preference: this is about their own
// work). It never fails the action; errors are logged.
func (s *Site) tellCreators(ctx context.Context, w *archive.Work, hidden bool, reason string) {
	kind, subject := InboxWorkUnhidden, fmt.Sprintf("[%s] Your work “%s” is visible again", s.Name, w.Title)
	text := fmt.Sprintf("The moderators of %s made your work “%s” visible again.\n\nReason: %s\n\n%s/works/%d\n", s.Name, w.Title, reason, s.BaseURL, w.ID)
	if hidden {
		kind, subject = InboxWorkHidden, fmt.Sprintf("[%s] Your work “%s” has been hidden", s.Name, w.Title)
		text = fmt.Sprintf("The moderators of %s have hidden your work “%s”: only you and the moderators can see it now.\n\nReason: %s\n\n%s/works/%d\n",
			s.Name, w.Title, reason, s.BaseURL, w.ID)
	}
	s.noticeToCreators(ctx, w, kind, subject, text)
}

// noticeToCreators puts an inbox entry of the kind in the inbox of each of
// the work's creators and mails them the text.
func (s *Site) noticeToCreators(ctx context.Context, w *archive.Work, kind, subject, text string) {
	ctx = context.WithoutCancel(ctx)
	log := s.logger().With("work", w.ID)
	seen := map[int64]bool{}
	var entries []*store.InboxEntry
	for _, c := range w.Creators {
		if c.UserID == 0 || seen[c.UserID] {
			continue
		}
		seen[c.UserID] = true
		entries = append(entries, &store.InboxEntry{UserID: c.UserID, Kind: kind, WorkID: w.ID, Actor: "The moderators",
			WorkTitle: w.Title, CreatedAt: s.Now().Truncate(time.Second)})
		if s.Jobs == nil {
			continue
		}
		cu, err := s.store.UserByID(ctx, c.UserID)
		if err != nil || cu.Email == "" {
			continue
		}
		if err := mail.Queue(ctx, s.Jobs, mail.Message{To: cu.Email, Subject: subject, Text: text}); err != nil {
			log.Warn("moderation: queue mail", "user", cu.ID, "err", err)
		}
	}
	if err := s.store.AddInboxEntries(ctx, entries); err != nil {
		log.Warn("moderation: inbox", "err", err)
	}
}

// ModDeleteWork deletes a work as a moderator.
func (s *Site) ModDeleteWork(ctx context.Context, u *archive.User, id int64, reason string) error {
	if err := RequireModerator(u); err != nil {
		return err
	}
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return err
	}
	if w.HasCreatorUser(u.ID) {
		return archive.Invalid("work", "is yours: delete it from its own page, or ask another moderator")
	}
	reason, err = archive.CleanReason(reason)
	if err != nil {
		return err
	}
	if err := s.store.DeleteWorkAudited(ctx, id, s.entry(u, archive.AuditDeleteWork, workTarget(id), reason)); err != nil {
		return err
	}
	s.unindex(id)
	s.forget(id)
	return nil
}

// HideComment hides a comment from everyone but moderators; UnhideComment
// shows it again.
func (s *Site) HideComment(ctx context.Context, u *archive.User, id int64, reason string) error {
	return s.setCommentHidden(ctx, u, id, reason, true)
}

// UnhideComment shows a hidden comment again.
func (s *Site) UnhideComment(ctx context.Context, u *archive.User, id int64, reason string) error {
	return s.setCommentHidden(ctx, u, id, reason, false)
}

// moderatedComment loads a comment a moderator u may act on (not deleted,
// not u's own) and cleans the reason the action needs.
func (s *Site) moderatedComment(ctx context.Context, u *archive.User, id int64, reason string) (*archive.Comment, string, error) {
	if err := RequireModerator(u); err != nil {
		return nil, "", err
	}
	cm, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if cm.Deleted {
		return nil, "", fmt.Errorf("comment %d: %w", id, archive.ErrNotFound)
	}
	if cm.UserID == u.ID {
		return nil, "", archive.Invalid("comment", "is yours: another moderator must act on it")
	}
	reason, err = archive.CleanReason(reason)
	if err != nil {
		return nil, "", err
	}
	return cm, reason, nil
}

func (s *Site) setCommentHidden(ctx context.Context, u *archive.User, id int64, reason string, hidden bool) error {
	cm, reason, err := s.moderatedComment(ctx, u, id, reason)
	if err != nil {
		return err
	}
	if cm.Hidden == hidden {
		if hidden {
			return archive.Invalid("comment", "is already hidden")
		}
		return archive.Invalid("comment", "is not hidden")
	}
	action := archive.AuditHideComment
	if !hidden {
		action = archive.AuditUnhideComment
	}
	if err := s.store.SetCommentHidden(ctx, id, hidden, s.entry(u, action, commentTarget(id), reason)); err != nil {
		return err
	}
	s.forgetThread(cm.ChapterID)
	return s.refreshCounts(ctx, cm.WorkID)
}

// refreshCounts brings the index's counters of a work (comments,
// bookmarks, kudos, hits) up to date.
func (s *Site) refreshCounts(ctx context.Context, workID int64) error {
	s.forget(workID)
	s.refreshBookmarks(ctx, workID, false)
	row, err := s.store.IndexRow(ctx, workID)
	if errors.Is(err, archive.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	s.Index.SetCounts(workID, row.Hits, row.Kudos, row.Comments, row.Bookmarks)
	return nil
}

// ModDeleteComment deletes a comment as a moderator.
func (s *Site) ModDeleteComment(ctx context.Context, u *archive.User, id int64, reason string) error {
	cm, reason, err := s.moderatedComment(ctx, u, id, reason)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCommentAudited(ctx, id, s.entry(u, archive.AuditDeleteComment, commentTarget(id), reason)); err != nil {
		return err
	}
	s.forgetThread(cm.ChapterID)
	return s.refreshCounts(ctx, cm.WorkID)
}

// accountTarget loads the account a moderator acts on: not oneself, and an
// admin only by an admin.
func (s *Site) accountTarget(ctx context.Context, u *archive.User, name, reason string) (*archive.User, string, error) {
	if err := RequireModerator(u); err != nil {
		return nil, "", err
	}
	t, err := s.store.UserByName(ctx, name)
	if err != nil {
		return nil, "", err
	}
	if t.ID == u.ID {
		return nil, "", archive.Invalid("user", "you can't act on your own account")
	}
	if t.IsAdmin() && !u.IsAdmin() {
		return nil, "", fmt.Errorf("only an admin may act on an admin: %w", archive.ErrForbidden)
	}
	reason, err = archive.CleanReason(reason)
	if err != nil {
		return nil, "", err
	}
	return t, reason, nil
}

// Suspend stops an account writing until the given time; it lifts itself.
func (s *Site) Suspend(ctx context.Context, u *archive.User, name string, until time.Time, reason string) (*archive.User, error) {
	t, reason, err := s.accountTarget(ctx, u, name, reason)
	if err != nil {
		return nil, err
	}
	if until.IsZero() {
		return nil, archive.Invalid("until", "can't be blank: give the date and time the suspension ends")
	}
	if !until.After(s.Now()) {
		return nil, archive.Invalid("until", "%s is in the past; a suspension must end in the future", until.UTC().Format(time.RFC3339))
	}
	if t.Banned {
		return nil, archive.Invalid("user", "%s is banned; unban the account first", t.Name)
	}
	until = until.UTC().Truncate(time.Second)
	if err := s.store.SuspendUser(ctx, t.ID, until, reason, s.entry(u, archive.AuditSuspend, userTarget(t.Name), reason)); err != nil {
		return nil, err
	}
	if s.Jobs != nil {
		if err := s.Jobs.EnqueueAt(ctx, EndSuspensionJob, endSuspension{UserID: t.ID}, until); err != nil {
			// The write check compares with the clock, so the suspension
			// still ends on time; only its audit line would be missing.
			s.logger().Warn("moderation: schedule end of suspension", "user", t.ID, "err", err)
		}
	}
	return s.account(ctx, u, t.ID)
}

// Unsuspend lifts a suspension early.
func (s *Site) Unsuspend(ctx context.Context, u *archive.User, name, reason string) (*archive.User, error) {
	t, reason, err := s.accountTarget(ctx, u, name, reason)
	if err != nil {
		return nil, err
	}
	if !t.Suspended(s.Now()) {
		return nil, archive.Invalid("user", "%s is not suspended", t.Name)
	}
	if err := s.store.SuspendUser(ctx, t.ID, time.Time{}, "", s.entry(u, archive.AuditUnsuspend, userTarget(t.Name), reason)); err != nil {
		return nil, err
	}
	return s.account(ctx, u, t.ID)
}

type endSuspension struct {
	UserID int64 `json:"user_id"`
}

// runEndSuspension is the job that clears a suspension once it is due; a
// suspension extended or lifted meanwhile is left alone (EndSuspension
// clears only one that has ended).
func (s *Site) runEndSuspension(ctx context.Context, payload []byte) error {
	var p endSuspension
	if err := json.Unmarshal(payload, &p); err != nil {
		return jobs.Permanent(fmt.Errorf("end suspension payload: %w", err))
	}
	u, err := s.store.UserByID(ctx, p.UserID)
	if errors.Is(err, archive.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.store.EndSuspension(ctx, u.ID, s.Now(), s.entry(nil, archive.AuditUnsuspend, userTarget(u.Name), "the suspension ended"))
	return err
}

// Ban ends the account's sessions and tokens, refuses its log-ins and
// hides its works, comments and bookmarks until an unban.
func (s *Site) Ban(ctx context.Context, u *archive.User, name, reason string) (*archive.User, error) {
	return s.ban(ctx, u, name, reason, false)
}

// Spam bans the account and hides everything it made for good (an unban
// lets it log in again but shows nothing again).
func (s *Site) Spam(ctx context.Context, u *archive.User, name, reason string) (*archive.User, error) {
	return s.ban(ctx, u, name, reason, true)
}

func (s *Site) ban(ctx context.Context, u *archive.User, name, reason string, spam bool) (*archive.User, error) {
	t, reason, err := s.accountTarget(ctx, u, name, reason)
	if err != nil {
		return nil, err
	}
	if t.Banned && !spam {
		return nil, archive.Invalid("user", "%s is already banned", t.Name)
	}
	action := archive.AuditBan
	if spam {
		action = archive.AuditSpam
	}
	res, err := s.store.BanUser(ctx, t.ID, reason, spam, s.entry(u, action, userTarget(t.Name), reason))
	if err != nil {
		return nil, err
	}
	s.afterBan(ctx, res)
	return s.account(ctx, u, t.ID)
}

// afterBan brings this node's index up to date with a ban or an unban:
// the works it hid or showed, and the counters of the works the account
// commented on or bookmarked. Errors are logged: the ban is committed.
func (s *Site) afterBan(ctx context.Context, res store.BanResult) {
	s.forgetViews() // the account's comments were hidden or shown
	s.reindexAll(ctx, res.Works)
	for _, id := range res.Counted {
		if err := s.refreshCounts(ctx, id); err != nil {
			s.logger().Warn("moderation: refresh counts", "work", id, "err", err)
		}
	}
}

// Unban lets the account log in again and shows what the ban hid.
func (s *Site) Unban(ctx context.Context, u *archive.User, name, reason string) (*archive.User, error) {
	t, reason, err := s.accountTarget(ctx, u, name, reason)
	if err != nil {
		return nil, err
	}
	if !t.Banned {
		return nil, archive.Invalid("user", "%s is not banned", t.Name)
	}
	res, err := s.store.UnbanUser(ctx, t.ID, s.entry(u, archive.AuditUnban, userTarget(t.Name), reason))
	if err != nil {
		return nil, err
	}
	s.afterBan(ctx, res)
	return s.account(ctx, u, t.ID)
}

// ChangeRole adds or removes a role. Only admins may; a nil u is the
// operator at the command line. The last admin keeps the admin role.
func (s *Site) ChangeRole(ctx context.Context, u *archive.User, name, role string, add bool, reason string) ([]string, error) {
	if u != nil {
		if err := RequireAdmin(u); err != nil {
			return nil, err
		}
	}
	role, err := archive.CleanRole(role)
	if err != nil {
		return nil, err
	}
	t, err := s.store.UserByName(ctx, name)
	if err != nil {
		return nil, err
	}
	if u != nil && t.ID == u.ID {
		return nil, archive.Invalid("user", "you can't change your own roles; ask another admin")
	}
	if u == nil && strings.TrimSpace(reason) == "" {
		reason = "set at the command line"
	}
	reason, err = archive.CleanReason(reason)
	if err != nil {
		return nil, err
	}
	action := archive.AuditAddRole
	if !add {
		action = archive.AuditRemoveRole
	}
	actor := u
	if actor == nil {
		actor = &archive.User{Name: "console"}
	}
	// The role goes in front of the reason, so the log says which.
	return s.store.ChangeUserRole(ctx, t.ID, role, add, s.entry(actor, action, userTarget(t.Name), role+": "+reason))
}

// AuditQuery selects a page of the audit log; empty fields match all.
type AuditQuery struct {
	Actor, Action, Target string
	Page, PerPage         int // 1-based; PerPage 1..100, 50 when 0
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Entries       []archive.AuditEntry
	Total         int
	Page, PerPage int
}

// AuditLog lists the log for moderators, newest first.
func (s *Site) AuditLog(ctx context.Context, u *archive.User, q AuditQuery) (*AuditPage, error) {
	if err := RequireModerator(u); err != nil {
		return nil, err
	}
	page, perPage, err := pageBounds(q.Page, q.PerPage)
	if err != nil {
		return nil, err
	}
	es, total, err := s.store.AuditLog(ctx, store.AuditFilter{Actor: strings.TrimSpace(q.Actor), Action: strings.TrimSpace(q.Action),
		Target: strings.TrimSpace(q.Target), Offset: (page - 1) * perPage, Limit: perPage})
	if err != nil {
		return nil, err
	}
	return &AuditPage{Entries: es, Total: total, Page: page, PerPage: perPage}, nil
}

// pageBounds defaults a page (1) and page size (50) and checks the size.
func pageBounds(page, perPage int) (int, int, error) {
	if page < 1 {
		page = 1
	}
	if perPage == 0 {
		perPage = 50
	}
	if perPage < 1 || perPage > 100 {
		return 0, 0, archive.Invalid("per_page", "must be between 1 and 100")
	}
	if page > 1_000_000 {
		return 0, 0, archive.Invalid("page", "is too large")
	}
	return page, perPage, nil
}

// UserPage is a page of accounts found by an admin search.
type UserPage struct {
	Users         []*archive.User
	Total         int
	Page, PerPage int
}

// SearchUsers finds accounts by name (and, for admins, e-mail); only
// admins see addresses.
func (s *Site) SearchUsers(ctx context.Context, u *archive.User, q string, page int) (*UserPage, error) {
	if err := RequireModerator(u); err != nil {
		return nil, err
	}
	page, perPage, err := pageBounds(page, 50)
	if err != nil {
		return nil, err
	}
	// A moderator may not find an account by an address they can't see.
	us, total, err := s.store.SearchUsers(ctx, strings.TrimSpace(q), u.IsAdmin(), (page-1)*perPage, perPage)
	if err != nil {
		return nil, err
	}
	for _, a := range us {
		redactFor(u, a)
	}
	return &UserPage{Users: us, Total: total, Page: page, PerPage: perPage}, nil
}

// account reloads an account after an action, as u may see it.
func (s *Site) account(ctx context.Context, u *archive.User, id int64) (*archive.User, error) {
	a, err := s.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	redactFor(u, a)
	return a, nil
}

// redactFor blanks what only admins may see of an account.
func redactFor(viewer, a *archive.User) {
	a.PasswordHash = ""
	if !viewer.IsAdmin() {
		a.Email = ""
	}
}

// AccountView is what moderators see of one account.
type AccountView struct {
	User    *archive.User
	Works   []*archive.Work
	History []archive.AuditEntry
	// Suspended is whether the suspension is in force now.
	Suspended bool
}

// Account loads an account for the moderators' page: its works (hidden
// and drafts too), state and the audit log's lines about it.
func (s *Site) Account(ctx context.Context, u *archive.User, name string) (*AccountView, error) {
	if err := RequireModerator(u); err != nil {
		return nil, err
	}
	t, err := s.store.UserByName(ctx, name)
	if err != nil {
		return nil, err
	}
	ids, err := s.store.WorkIDsByUser(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	ws, err := s.store.WorksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	hist, _, err := s.store.AuditLog(ctx, store.AuditFilter{Target: userTarget(t.Name), Limit: 200})
	if err != nil {
		return nil, err
	}
	redactFor(u, t)
	return &AccountView{User: t, Works: ws, History: hist, Suspended: t.Suspended(s.Now())}, nil
}
