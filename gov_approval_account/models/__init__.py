from . import account_move
