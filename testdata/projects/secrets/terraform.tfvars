db_password = "Tv9#bQ4z-LmR8pX2"
