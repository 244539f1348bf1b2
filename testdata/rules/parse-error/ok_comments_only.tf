# nothing here yet
// nor here
