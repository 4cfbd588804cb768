package netipc

import (
	"encoding/json"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// pubsubRequest is the data of a publish/subscribe REQUEST, @isdk's
// extension of the wire: {"sub": topics}, {"unsub": topics} or
// {"pub": topic, "message": m}.
type pubsubRequest struct {
	Sub     json.RawMessage `json:"sub"`
	Unsub   json.RawMessage `json:"unsub"`
	Pub     json.RawMessage `json:"pub"`
	Message json.RawMessage `json:"message"`
}

// publication is what subscribers receive as MESSAGE data.
type publication struct {
	Pub     string          `json:"pub"`
	Message json.RawMessage `json:"message,omitempty"`
}

// topicList reads a topic or an array of topics.
func topicList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

// pubsub answers a publish/subscribe request and reports whether p was one.
func (c *ServerConn) pubsub(p wire.Packet) bool {
	if len(p.Data) == 0 || p.Data[0] != '{' {
		return false
	}
	var r pubsubRequest
	if json.Unmarshal(p.Data, &r) != nil {
		return false
	}
	s := c.srv
	var result bool
	switch {
	case len(r.Sub) > 0:
		s.mu.Lock()
		for _, t := range topicList(r.Sub) {
			subs := s.topics[t]
			if subs == nil {
				subs = map[*ServerConn]struct{}{}
				s.topics[t] = subs
			}
			if _, ok := subs[c]; !ok {
				subs[c] = struct{}{}
				result = true
			}
		}
		s.mu.Unlock()
	case len(r.Unsub) > 0:
		s.mu.Lock()
		for _, t := range topicList(r.Unsub) {
			if _, ok := s.topics[t][c]; ok {
				delete(s.topics[t], c)
				result = true
				if len(s.topics[t]) == 0 {
					delete(s.topics, t)
				}
			}
		}
		s.mu.Unlock()
	case len(r.Pub) > 0:
		var topic string
		if json.Unmarshal(r.Pub, &topic) != nil {
			return false
		}
		_ = s.publish(topic, r.Message)
		result = true
	default:
		return false
	}
	_ = c.writeData(wire.PacketResponse, map[string]bool{"result": result}, p.Nonce)
	return true
}

// Publish sends message to every client subscribed to topic, as MESSAGE
// {"pub": topic, "message": message}.
func (s *Server) Publish(topic string, message any) error {
	raw, err := marshalData(message)
	if err != nil {
		return err
	}
	return s.publish(topic, raw)
}

func (s *Server) publish(topic string, message json.RawMessage) error {
	raw, err := json.Marshal(publication{Pub: topic, Message: message})
	if err != nil {
		return err
	}
	s.mu.Lock()
	subs := make([]*ServerConn, 0, len(s.topics[topic]))
	for c := range s.topics[topic] {
		subs = append(subs, c)
	}
	s.mu.Unlock()
	var first error
	for _, c := range subs {
		if err := c.write(wire.Packet{Type: wire.PacketMessage, Data: raw}); err != nil && first == nil {
			first = err
		}
	}
	return first
}
