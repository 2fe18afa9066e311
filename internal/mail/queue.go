package mail

import (
	"context"
	"encoding/json"
	"fmt"

	"quire/internal/jobs"
)

// JobKind is the job kind of queued mail.
const JobKind = "mail"

// Queue enqueues a message as a durable job (never sends inside the
// request). An invalid message is refused here, not at delivery.
func Queue(ctx context.Context, r *jobs.Runner, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if err := r.Enqueue(ctx, JobKind, m); err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// Register registers the mail handler that sends via s. A payload that is
// not a valid message is given up at once; a send failure is retried.
func Register(r *jobs.Runner, s Sender) {
	r.Handle(JobKind, func(ctx context.Context, payload []byte) error {
		var m Message
		if err := json.Unmarshal(payload, &m); err != nil {
			return jobs.Permanent(fmt.Errorf("mail job payload: %w", err))
		}
		if err := m.Validate(); err != nil {
			return jobs.Permanent(err)
		}
		return s.Send(ctx, m)
	})
}
