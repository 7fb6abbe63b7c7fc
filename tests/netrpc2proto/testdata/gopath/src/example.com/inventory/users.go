package inventory

import (
	"errors"
	"fmt"
	"sync"
)

// Users is registered as "Accounts" (rpc.RegisterName in cmd/inventoryd).
type Users struct {
	mu    sync.Mutex
	next  int64
	users map[int64]User
}

func NewUsers() *Users { return &Users{next: 100, users: map[int64]User{}} }

// Create stores a user under a new UserID and answers with it.
func (u *Users) Create(user *User, reply *User) error {
	if user.Email == "" {
		return errors.New("create: email required")
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	nu := *user
	nu.UserID = u.next
	u.next++
	u.users[nu.UserID] = nu
	*reply = nu
	return nil
}

// Find answers with a user by id (an int64 argument).
func (u *Users) Find(id int64, reply *User) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	user, ok := u.users[id]
	if !ok {
		return fmt.Errorf("not found: user %d", id)
	}
	*reply = user
	return nil
}
