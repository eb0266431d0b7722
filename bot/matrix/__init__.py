"""The Matrix runtime: the only part of salonbot that talks to a homeserver.

``session`` logs in and keeps the device, ``rooms`` implements ``bot.rooms.RoomPort``,
``outbox`` and ``sender`` deliver every reply exactly once, ``sync`` turns the event stream
into router calls, ``runner`` ties it together and handles signals. Handlers never import
anything from here.
"""
