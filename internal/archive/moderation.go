package archive

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles lists every role an account may hold.
var Roles = []string{RoleAdmin, RoleModerator, RoleWrangler}

// CleanRole checks a role name.
func CleanRole(role string) (string, error) {
	r := strings.ToLower(strings.TrimSpace(role))
	for _, known := range Roles {
		if r == known {
			return r, nil
		}
	}
	return "", Invalid("role", "%q is not a role; the roles are %s", role, strings.Join(Roles, ", "))
}

// MaxReasonLength bounds a moderator's reason, in characters.
const MaxReasonLength = 5000

// CleanReason checks the reason every moderator and admin action needs.
func CleanReason(reason string) (string, error) {
	r := strings.TrimSpace(strings.ReplaceAll(reason, "\x00", ""))
	if r == "" {
		return "", Invalid("reason", "can't be blank: every moderation action needs a reason")
	}
	if n := utf8.RuneCountInString(r); n > MaxReasonLength {
		return "", Invalid("reason", "is %d characters long; the limit is %d", n, MaxReasonLength)
	}
	return r, nil
}

// Audit log actions.
const (
	AuditHideWork      = "hide_work"
	AuditUnhideWork    = "unhide_work"
	AuditDeleteWork    = "delete_work"
	AuditHideComment   = "hide_comment"
	AuditUnhideComment = "unhide_comment"
	AuditDeleteComment = "delete_comment"
	AuditSuspend       = "suspend"
	AuditUnsuspend     = "unsuspend"
	AuditBan           = "ban"
	AuditUnban         = "unban"
	AuditSpam          = "spam"
	AuditAddRole       = "add_role"
	AuditRemoveRole    = "remove_role"

	// The queue: a report's state, assignee and notes (target report:ID).
	AuditResolveReport = "resolve_report"
	AuditDismissReport = "dismiss_report"
	AuditReopenReport  = "reopen_report"
	AuditAssignReport  = "assign_report"
	AuditNoteReport    = "note_report"

	// The site's policy (target settings) and invitations (target
	// invitation:ID, or user:NAME for invitations given to hand on).
	AuditChangeSettings  = "change_settings"
	AuditInvite          = "invite"
	AuditGiveInvitations = "give_invitations"

	// The review of first works (target work:ID): the archive holds a
	// work, a moderator approves or rejects it.
	AuditHoldWork    = "hold_work"
	AuditApproveWork = "approve_work"
	AuditRejectWork  = "reject_work"
	// A guest comment held for its creator's approval (comment:ID).
	AuditHoldComment = "hold_comment"

	// News (target news:ID), admins' deletion of a comment on news
	// (news_comment:ID) and the banner (target banner).
	AuditPostNews          = "post_news"
	AuditEditNews          = "edit_news"
	AuditDeleteNews        = "delete_news"
	AuditDeleteNewsComment = "delete_news_comment"
	AuditSetBanner         = "set_banner"
	AuditRemoveBanner      = "remove_banner"
)

// AuditActions lists every action the log holds, for its filter.
var AuditActions = []string{AuditHideWork, AuditUnhideWork, AuditDeleteWork, AuditHideComment, AuditUnhideComment,
	AuditDeleteComment, AuditSuspend, AuditUnsuspend, AuditBan, AuditUnban, AuditSpam, AuditAddRole, AuditRemoveRole,
	AuditResolveReport, AuditDismissReport, AuditReopenReport, AuditAssignReport, AuditNoteReport,
	AuditChangeSettings, AuditInvite, AuditGiveInvitations, AuditHoldWork, AuditApproveWork, AuditRejectWork,
	AuditHoldComment, AuditPostNews, AuditEditNews, AuditDeleteNews, AuditDeleteNewsComment, AuditSetBanner, AuditRemoveBanner}

// AuditEntry is one row of the append-only audit log: who did what to
// which target, why and when. Actor is an account name ("system" for the
// archive itself); Target is KIND:ID (work:12, comment:7) or user:NAME.
type AuditEntry struct {
	ID     int64
	Actor  string
	Action string
	Target string
	Reason string
	At     time.Time
}

// AuditActorSystem is the actor of what the archive does by itself (a
// suspension ending).
const AuditActorSystem = "system"

// SuspendedError refuses a write by a suspended account (HTTP 403).
type SuspendedError struct{ Until time.Time }

// SuspendedFormat is a SuspendedError's message (the end, UTC, as %s).
const SuspendedFormat = "your account is suspended until %s UTC: you can read, but not post, comment, give kudos, bookmark or change anything until then"

func (e *SuspendedError) Error() string {
	return fmt.Sprintf(SuspendedFormat, e.Until.UTC().Format("2006-01-02 15:04"))
}

// Is makes a SuspendedError an ErrForbidden.
func (e *SuspendedError) Is(target error) bool { return target == ErrForbidden }

// BannedError refuses a banned account's log-in (HTTP 403).
type BannedError struct{ Reason string }

func (e *BannedError) Error() string {
	if e.Reason == "" {
		return "this account is banned"
	}
	return "this account is banned: " + e.Reason
}

// Is makes a BannedError an ErrForbidden.
func (e *BannedError) Is(target error) bool { return target == ErrForbidden }

// Suspended reports whether the user may not write at now.
func (u *User) Suspended(now time.Time) bool {
	return u != nil && !u.SuspendedUntil.IsZero() && now.Before(u.SuspendedUntil)
}
