"""The drafting blueprint, shared by the reading and the editing views."""

from flask import Blueprint

bp = Blueprint("drafting", __name__)
