package site

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
	"quire/internal/text"
)

// ReportInput is a report as a reader files it.
type ReportInput struct {
	Target  string // KIND:ID, a user as user:NAME
	Reason  string
	Details string
	Email   string // a guest's address for the acknowledgement (optional)
	// Trap is the form's honeypot field, which people leave empty: a
	// filled one is answered as if the report were taken, and dropped.
	Trap string
}

// ReportLimitError refuses a report over the reporter's hourly limit
// (HTTP 429).
type ReportLimitError struct {
	Limit int
	Wait  time.Duration
}

func (e *ReportLimitError) Error() string {
	return fmt.Sprintf("you have sent %d reports in the last hour, the most the archive takes; you can send another in %d minutes",
		e.Limit, int(e.Wait.Minutes()+0.999))
}

// ReportTraps counts the reports the honeypot field caught since start.
func (s *Site) ReportTraps() int64 { return s.reportTraps.Load() }

// FileReport takes v's report of something v can see: it keeps a snapshot
// of the target's text, and queues an acknowledgement to the reporter's
// address (the account's, or the one a guest gave). A target v can't see
// is archive.ErrNotFound; a second open report of the same target by v
// archive.ErrConflict; too many reports in an hour *ReportLimitError. A
// caught honeypot returns a report with ID 0, and nothing is stored.
func (s *Site) FileReport(ctx context.Context, v Visitor, in ReportInput) (*archive.Report, error) {
	u := v.User
	if in.Trap != "" {
		s.reportTraps.Add(1)
		s.Log.Info("report honeypot caught a submission", "target", in.Target)
		return &archive.Report{State: archive.ReportOpen}, nil
	}
	t, err := archive.ParseReportTarget(in.Target)
	if err != nil {
		return nil, err
	}
	r := &archive.Report{Target: t, State: archive.ReportOpen, CreatedAt: s.Now().Truncate(time.Second)}
	if r.Reason, err = archive.CleanReportReason(in.Reason); err != nil {
		return nil, err
	}
	if r.Details, err = archive.CleanReportDetails(in.Details); err != nil {
		return nil, err
	}
	if u != nil {
		r.ReporterID = u.ID
	} else {
		if e := strings.TrimSpace(in.Email); e != "" {
			if r.ReporterEmail, err = archive.CleanEmail(e); err != nil {
				return nil, err
			}
		}
		if r.AddressHash, err = s.visitorHash(ctx, "address", v.Address); err != nil {
			return nil, err
		}
	}
	if r.Target, r.Snapshot, err = s.reportSnapshot(ctx, u, t); err != nil {
		return nil, err
	}
	if err := s.reportRateLimit(ctx, r); err != nil {
		return nil, err
	}
	if err := s.store.CreateReport(ctx, r); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, archive.Explain(archive.ErrConflict, "you have already reported this %s and the report is still open; moderators will look at it", t.Kind)
		}
		return nil, err
	}
	to := r.ReporterEmail
	if u != nil {
		to = u.Email
	}
	s.mailReporter(ctx, to, fmt.Sprintf("[%s] We received your report", s.Name),
		fmt.Sprintf("Hello,\n\nThank you for your report of %s (%s), reason: %s. The archive's moderators will look at it; we will write again when it has been handled.\n\nYour report is number %d.\n",
			s.BaseURL+r.Snapshot.URL, r.Target, archive.ReasonLabel(r.Reason), r.ID))
	return r, nil
}

// reportRateLimit allows ReportRateLimit reports an hour per account, or
// per guest address. The reports table is the counter, so every node and a
// restart see the same count.
func (s *Site) reportRateLimit(ctx context.Context, r *archive.Report) error {
	limit := s.ReportRateLimit
	if limit <= 0 {
		return nil
	}
	now := s.Now()
	times, err := s.store.ReportTimesSince(ctx, r.ReporterID, r.AddressHash, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	if len(times) < limit {
		return nil
	}
	wait := times[len(times)-limit].Add(time.Hour).Sub(now)
	if wait < time.Second {
		wait = time.Second
	}
	return &ReportLimitError{Limit: limit, Wait: wait}
}

// mailReporter queues a mail to a reporter; a report is taken or handled
// whether or not the mail can be queued.
func (s *Site) mailReporter(ctx context.Context, to, subject, body string) {
	if to == "" {
		return
	}
	if err := mail.Queue(ctx, s.Jobs, mail.Message{To: to, Subject: subject, Text: body}); err != nil {
		s.Log.Warn("queue report mail", "err", err)
	}
}

// reportSnapshot resolves a target u may see and keeps what a moderator
// needs to judge it. Drafts, hidden and deleted things are not found.
func (s *Site) reportSnapshot(ctx context.Context, u *archive.User, t archive.ReportTarget) (archive.ReportTarget, archive.ReportSnapshot, error) {
	var snap archive.ReportSnapshot
	notFound := archive.Explain(archive.ErrNotFound, "there is no %s %s that you can see", t.Kind, strings.TrimPrefix(t.String(), t.Kind+":"))
	visibleWork := func(id int64) (*archive.Work, error) {
		w, err := s.Work(ctx, u, id)
		if errors.Is(err, archive.ErrNotFound) || err == nil && (w.Draft || w.Hidden) {
			return nil, notFound
		}
		return w, err
	}
	switch t.Kind {
	case archive.ReportWork:
		w, err := visibleWork(t.ID)
		if err != nil {
			return t, snap, err
		}
		snap = workSnapshot(w)
		cs, err := s.Chapters(ctx, u, w, true)
		if err != nil {
			return t, snap, err
		}
		var b strings.Builder
		for _, c := range cs {
			if c.Draft {
				continue
			}
			if len(cs) > 1 || c.Title != "" {
				fmt.Fprintf(&b, "Chapter %d: %s\n\n", c.Position, c.Title)
			}
			b.WriteString(text.PlainText(c.Body.HTML))
			b.WriteString("\n\n")
			if b.Len() > 4*archive.MaxSnapshotText {
				break
			}
		}
		snap.Text, snap.Truncated = archive.Clip(strings.TrimSpace(b.String()), archive.MaxSnapshotText)
	case archive.ReportChapter:
		workID, err := s.store.ChapterWorkID(ctx, t.ID)
		if errors.Is(err, archive.ErrNotFound) {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		w, err := visibleWork(workID)
		if err != nil {
			return t, snap, err
		}
		c, err := s.store.Chapter(ctx, workID, t.ID)
		if errors.Is(err, archive.ErrNotFound) || err == nil && c.Draft {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		snap = workSnapshot(w)
		snap.Title = fmt.Sprintf("%s, chapter %d", w.Title, c.Position)
		if c.Title != "" {
			snap.Title += ": " + c.Title
		}
		snap.URL = fmt.Sprintf("/works/%d/chapters/%d", w.ID, c.ID)
		snap.Text, snap.Truncated = archive.Clip(strings.TrimSpace(text.PlainText(c.Body.HTML)), archive.MaxSnapshotText)
	case archive.ReportComment:
		cm, w, err := s.CommentFor(ctx, u, t.ID)
		if errors.Is(err, archive.ErrNotFound) || err == nil && (w.Hidden || w.Draft || !cm.Approved) {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		snap.Title = "Comment on " + w.Title
		snap.By = (&CommentNode{Comment: cm}).Author()
		snap.Text = strings.TrimSpace(text.PlainText(cm.Body.HTML))
		snap.URL = fmt.Sprintf("/works/%d/chapters/%d#comment-%d", w.ID, cm.ChapterID, cm.ID)
	case archive.ReportUser:
		target, err := s.store.UserByName(ctx, t.Name)
		if errors.Is(err, archive.ErrNotFound) {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		if u != nil && u.ID == target.ID {
			return t, snap, archive.Invalid("target", "you can't report your own account")
		}
		t.ID, t.Name = target.ID, target.Name
		snap.Title, snap.By = target.Name, target.Name
		snap.URL = "/users/" + target.Name
		pseuds, err := s.store.Pseuds(ctx, target.ID)
		if err != nil {
			return t, snap, err
		}
		var names []string
		for _, p := range pseuds {
			names = append(names, p.Name)
		}
		snap.Text = fmt.Sprintf("Pseuds: %s\nJoined: %s", strings.Join(names, ", "), target.CreatedAt.UTC().Format("2006-01-02"))
		// The bio is what a profile report is most often about: keep it as
		// it was when reported.
		if bio, err := s.store.Bio(ctx, target.ID); err != nil {
			return t, snap, err
		} else if !bio.IsEmpty() {
			snap.Text, snap.Truncated = archive.Clip(snap.Text+"\nBio: "+text.PlainText(bio.HTML), archive.MaxSnapshotText)
		}
	case archive.ReportCollection:
		c, err := s.Collection(ctx, t.Name)
		if errors.Is(err, archive.ErrNotFound) {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		t.ID, t.Name = 0, c.Name
		snap.Title = c.Title
		var keepers []string
		for _, m := range c.Maintainers {
			keepers = append(keepers, m.UserName)
		}
		snap.By = strings.Join(keepers, ", ")
		snap.Summary = strings.TrimSpace(text.PlainText(c.Description.HTML))
		snap.Text = strings.TrimSpace(text.PlainText(c.Rules.HTML))
		snap.URL = "/collections/" + c.Name
	case archive.ReportSeries:
		v, err := s.Series(ctx, u, t.ID)
		if errors.Is(err, archive.ErrNotFound) {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		snap.Title = v.Title
		snap.By = creatorNames(v.Creators)
		snap.Summary = strings.TrimSpace(text.PlainText(v.Summary.HTML))
		var b strings.Builder
		if !v.Notes.IsEmpty() {
			b.WriteString(strings.TrimSpace(text.PlainText(v.Notes.HTML)))
			b.WriteString("\n\n")
		}
		for _, sw := range v.Visible {
			fmt.Fprintf(&b, "Part %d: %s\n", sw.Position, sw.Work.Title)
		}
		snap.Text = strings.TrimSpace(b.String())
		snap.URL = "/series/" + strconv.FormatInt(v.ID, 10)
	case archive.ReportBookmark:
		item, err := s.VisibleBookmark(ctx, u, t.ID)
		if errors.Is(err, archive.ErrNotFound) {
			return t, snap, notFound
		}
		if err != nil {
			return t, snap, err
		}
		b := item.Bookmark
		if b.OfSeries {
			snap.Title = "Bookmark of the series " + b.SeriesTitle
		} else {
			snap.Title = "Bookmark of " + b.WorkTitle
		}
		snap.By = b.UserName
		snap.Tags = b.Tags
		snap.Text = strings.TrimSpace(text.PlainText(b.Notes.HTML))
		snap.URL = "/users/" + b.UserName + "/bookmarks#bookmark_" + strconv.FormatInt(b.ID, 10)
	}
	return t, snap, nil
}

func workSnapshot(w *archive.Work) archive.ReportSnapshot {
	snap := archive.ReportSnapshot{Title: w.Title, By: creatorNames(w.Creators), Rating: w.Rating(),
		Summary: strings.TrimSpace(text.PlainText(w.Summary.HTML)), URL: "/works/" + strconv.FormatInt(w.ID, 10)}
	snap.Warnings = append(snap.Warnings, w.Tags[archive.TypeWarning]...)
	for _, ty := range []archive.TagType{archive.TypeFandom, archive.TypeRelationship, archive.TypeCharacter, archive.TypeFreeform} {
		snap.Tags = append(snap.Tags, w.Tags[ty]...)
	}
	return snap
}

func creatorNames(cs []archive.Creator) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Pseud)
	}
	return strings.Join(names, ", ")
}

// ReportsAccess lets a moderator (or an admin) at the queue: ErrAuth for a
// guest, a 403 Refusal for anyone else.
func ReportsAccess(u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.Has(archive.RoleModerator) {
		return &Refusal{Code: "forbidden", Message: "only moderators may see and handle reports"}
	}
	return nil
}

// ReportQuery selects the queue: a state ("" = open; "all" = every
// state), a reason ("" = any), a target (KIND:ID; "" = any) and a
// reporting account's name ("" = any), and a page of its targets (1-based;
// PerPage targets, 50 when 0, at most 100).
type ReportQuery struct {
	State    string
	Reason   string
	Target   string
	Reporter string
	Page     int
	PerPage  int
}

// ReportPage is one page of the queue: whole targets, the one with the
// newest report first, each with every report of it the query selects.
type ReportPage struct {
	Reports       []*archive.Report
	Targets       int // targets the query selects, on every page
	Page, PerPage int
	// Works is the current state of the works and comments the page's
	// reports name (a chapter's work), by target (work:12), for the
	// moderators' buttons; a target that is gone is absent.
	Works map[string]TargetState
}

// TargetState is what a moderator can do now to a reported work or
// comment.
type TargetState struct {
	WorkID    int64 // the work to hide or show (a chapter's work)
	CommentID int64 // for a comment
	Hidden    bool
}

// Reports is the moderators' queue, a page of it, each report with the
// count of reports of its target that the query selects. The reporter's
// address (a guest's, or the account's) is filled only for admins.
func (s *Site) Reports(ctx context.Context, u *archive.User, q ReportQuery) (*ReportPage, error) {
	if err := ReportsAccess(u); err != nil {
		return nil, err
	}
	page, perPage, err := pageBounds(q.Page, q.PerPage)
	if err != nil {
		return nil, err
	}
	f := store.ReportFilter{State: q.State, Reason: q.Reason, TargetOffset: (page - 1) * perPage, Targets: perPage}
	switch f.State {
	case "":
		f.State = archive.ReportOpen
	case "all":
		f.State = ""
	default:
		if _, err := archive.CleanReportState(f.State); err != nil {
			return nil, err
		}
	}
	if f.Reason != "" {
		if _, err := archive.CleanReportReason(f.Reason); err != nil {
			return nil, err
		}
	}
	if q.Target != "" {
		t, err := s.queueTarget(ctx, q.Target)
		if err != nil {
			return nil, err
		}
		f.Target = &t
	}
	if q.Reporter != "" {
		ru, err := s.store.UserByName(ctx, q.Reporter)
		if errors.Is(err, archive.ErrNotFound) {
			return nil, archive.Invalid("reporter", "there is no account named %q", q.Reporter)
		}
		if err != nil {
			return nil, err
		}
		f.ReporterID = ru.ID
	}
	p := &ReportPage{Page: page, PerPage: perPage, Works: map[string]TargetState{}}
	if p.Targets, err = s.store.CountReportTargets(ctx, f); err != nil {
		return nil, err
	}
	if p.Reports, err = s.store.Reports(ctx, f); err != nil {
		return nil, err
	}
	emails := map[int64]string{}
	for _, r := range p.Reports {
		if err := s.reporterAddress(ctx, u, r, emails); err != nil {
			return nil, err
		}
		key := r.Target.String()
		if _, done := p.Works[key]; done {
			continue
		}
		st, ok, err := s.targetState(ctx, r.Target)
		if err != nil {
			return nil, err
		}
		if ok {
			p.Works[key] = st
		}
	}
	return p, nil
}

// targetState reads a reported work, chapter or comment as it is now;
// ok is false for another kind, or one that is gone.
func (s *Site) targetState(ctx context.Context, t archive.ReportTarget) (st TargetState, ok bool, err error) {
	workID := t.ID
	switch t.Kind {
	case archive.ReportComment:
		cm, err := s.store.Comment(ctx, t.ID)
		if errors.Is(err, archive.ErrNotFound) || err == nil && cm.Deleted {
			return st, false, nil
		}
		if err != nil {
			return st, false, err
		}
		return TargetState{CommentID: cm.ID, WorkID: cm.WorkID, Hidden: cm.Hidden}, true, nil
	case archive.ReportChapter:
		if workID, err = s.store.ChapterWorkID(ctx, t.ID); errors.Is(err, archive.ErrNotFound) {
			return st, false, nil
		} else if err != nil {
			return st, false, err
		}
	case archive.ReportWork:
	default:
		return st, false, nil
	}
	w, err := s.store.Work(ctx, workID)
	if errors.Is(err, archive.ErrNotFound) {
		return st, false, nil
	}
	if err != nil {
		return st, false, err
	}
	// A work hidden with its creator's ban is offered to be hidden by the
	// moderators too (it then stays hidden after an unban).
	return TargetState{WorkID: w.ID, Hidden: w.Hidden && !w.HiddenByBan}, true, nil
}

// Report is one report, for moderators.
func (s *Site) Report(ctx context.Context, u *archive.User, id int64) (*archive.Report, error) {
	if err := ReportsAccess(u); err != nil {
		return nil, err
	}
	r, err := s.store.Report(ctx, id)
	if err != nil {
		return nil, err
	}
	return r, s.reporterAddress(ctx, u, r, map[int64]string{})
}

// reporterAddress shows admins the reporter's address (the account's for
// an account, looked up once per account through emails); moderators see
// none.
func (s *Site) reporterAddress(ctx context.Context, u *archive.User, r *archive.Report, emails map[int64]string) error {
	r.AddressHash = ""
	if !u.IsAdmin() {
		r.ReporterEmail = ""
		return nil
	}
	if r.ReporterID > 0 {
		email, ok := emails[r.ReporterID]
		if !ok {
			ru, err := s.store.UserByID(ctx, r.ReporterID)
			if err != nil && !errors.Is(err, archive.ErrNotFound) {
				return err
			}
			if err == nil {
				email = ru.Email
			}
			emails[r.ReporterID] = email
		}
		r.ReporterEmail = email
	}
	return nil
}

// ReportChange is a moderator's change to a report; nil fields stay.
type ReportChange struct {
	State    *string
	Note     string
	Assignee *string // a moderator's name; "" unassigns
}

// UpdateReport changes a report's state or assignee and adds a note. When
// it leaves the open state, the reporter is mailed that it was handled
// (never how). The assignee must be a moderator.
func (s *Site) UpdateReport(ctx context.Context, u *archive.User, id int64, ch ReportChange) (*archive.Report, error) {
	if err := ReportsAccess(u); err != nil {
		return nil, err
	}
	r, err := s.store.Report(ctx, id)
	if err != nil {
		return nil, err
	}
	note := strings.TrimSpace(strings.ReplaceAll(text.ValidUTF8(ch.Note), "\x00", ""))
	if ch.State == nil && ch.Assignee == nil && note == "" {
		return nil, archive.Invalid("", "nothing to change: send a state, a note or an assignee")
	}
	if n := utf8.RuneCountInString(note); n > archive.MaxReportNote {
		return nil, archive.Invalid("note", "is %d characters long; the limit is %d", n, archive.MaxReportNote)
	}
	state := r.State
	if ch.State != nil {
		if state, err = archive.CleanReportState(strings.TrimSpace(*ch.State)); err != nil {
			return nil, err
		}
	}
	assignee, assigneeName := r.AssigneeID, r.AssigneeName
	if ch.Assignee != nil {
		assignee, assigneeName = 0, ""
		if name := strings.TrimSpace(*ch.Assignee); name != "" {
			a, err := s.store.UserByName(ctx, name)
			if errors.Is(err, archive.ErrNotFound) {
				return nil, archive.Invalid("assignee", "there is no account named %q", name)
			}
			if err != nil {
				return nil, err
			}
			if !a.Has(archive.RoleModerator) {
				return nil, archive.Invalid("assignee", "%s is not a moderator; reports are assigned to moderators", a.Name)
			}
			assignee, assigneeName = a.ID, a.Name
		}
	}
	now := s.Now().Truncate(time.Second)
	var n *archive.ReportNote
	if note != "" {
		n = &archive.ReportNote{AuthorID: u.ID, Author: u.Name, Text: note, At: now}
	}
	if err := s.store.UpdateReport(ctx, id, state, assignee, n, now, s.reportAudit(u, r, state, assignee, assigneeName, note)...); err != nil {
		return nil, err
	}
	if r.State == archive.ReportOpen && state != archive.ReportOpen {
		s.mailHandled(ctx, r)
	}
	return s.Report(ctx, u, id)
}

// reportAudit is the audit log's account of a change to a report: a line
// for a new state (with the note as its reason), one for a new assignee,
// and one for a note that came without a new state.
func (s *Site) reportAudit(u *archive.User, r *archive.Report, state string, assignee int64, assigneeName, note string) []*archive.AuditEntry {
	target := "report:" + strconv.FormatInt(r.ID, 10)
	var es []*archive.AuditEntry
	if state != r.State {
		action := map[string]string{archive.ReportResolved: archive.AuditResolveReport, archive.ReportDismissed: archive.AuditDismissReport,
			archive.ReportOpen: archive.AuditReopenReport}[state]
		es = append(es, s.entry(u, action, target, note))
	}
	if assignee != r.AssigneeID {
		reason := "assigned to " + assigneeName
		if assignee == 0 {
			reason = "unassigned"
		}
		es = append(es, s.entry(u, archive.AuditAssignReport, target, reason))
	}
	if note != "" && state == r.State {
		es = append(es, s.entry(u, archive.AuditNoteReport, target, note))
	}
	return es
}

// mailHandled tells the reporter their report was handled, and nothing of
// what was done.
func (s *Site) mailHandled(ctx context.Context, r *archive.Report) {
	to := r.ReporterEmail
	if r.ReporterID > 0 {
		ru, err := s.store.UserByID(ctx, r.ReporterID)
		if err != nil {
			return
		}
		to = ru.Email
	}
	s.mailReporter(ctx, to, fmt.Sprintf("[%s] Your report has been handled", s.Name),
		fmt.Sprintf("Hello,\n\nThe archive's moderators have handled your report number %d (of %s, sent %s). Thank you for helping to keep the archive a good place.\n",
			r.ID, r.Target, r.CreatedAt.UTC().Format("2006-01-02")))
}

// ReportTargetFor resolves a target u may report, with what a moderator
// would be shown of it, for the report form.
func (s *Site) ReportTargetFor(ctx context.Context, u *archive.User, target string) (archive.ReportTarget, archive.ReportSnapshot, error) {
	t, err := archive.ParseReportTarget(target)
	if err != nil {
		return t, archive.ReportSnapshot{}, err
	}
	return s.reportSnapshot(ctx, u, t)
}

// queueTarget reads a target as the queue filters by it: a reported
// account by its id while it exists, by its name once it is gone.
func (s *Site) queueTarget(ctx context.Context, target string) (archive.ReportTarget, error) {
	t, err := archive.ParseReportTarget(target)
	if err != nil || t.Kind != archive.ReportUser {
		return t, err
	}
	u, err := s.store.UserByName(ctx, t.Name)
	if errors.Is(err, archive.ErrNotFound) {
		return t, nil
	}
	if err != nil {
		return t, err
	}
	t.ID = u.ID
	return t, nil
}

// CloseReportsOf resolves or dismisses every open report of one target
// (of one reason, unless reason is ""), with the same note on each, and
// mails each reporter as UpdateReport does. It returns how many reports it
// closed.
func (s *Site) CloseReportsOf(ctx context.Context, u *archive.User, target, reason, state, note string) (int, error) {
	if err := ReportsAccess(u); err != nil {
		return 0, err
	}
	if state != archive.ReportResolved && state != archive.ReportDismissed {
		return 0, archive.Invalid("state", "%q: the reports of a target are closed as resolved or dismissed", state)
	}
	if target == "" {
		return 0, archive.Invalid("target", "can't be blank")
	}
	p, err := s.Reports(ctx, u, ReportQuery{State: archive.ReportOpen, Reason: reason, Target: target})
	if err != nil {
		return 0, err
	}
	rs := p.Reports
	for _, r := range rs {
		if _, err := s.UpdateReport(ctx, u, r.ID, ReportChange{State: &state, Note: note}); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}
