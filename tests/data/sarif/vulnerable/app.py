"""A deliberately vulnerable sample for bandit (never imported or run)."""

import hashlib
import pickle
import subprocess

import requests
import yaml


def run(user_input):
    return subprocess.call("ls " + user_input, shell=True)


def load(blob):
    return pickle.loads(blob)


def config(text):
    return yaml.load(text)


def digest(data):
    return hashlib.md5(data).hexdigest()


def fetch(url):
    return requests.get(url, verify=False)


def check(password):
    assert password == "hunter2"
    return eval(password)
